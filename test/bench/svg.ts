/** A tiny horizontal bar chart as standalone SVG (no dependencies), for docs/benchmarks.md. */

export interface Bar {
  label: string;
  value: number;
  color: string;
  /** Text after the value, e.g. "0.93× of link". */
  note?: string;
}

export interface BarGroup {
  label: string;
  bars: Bar[];
  /** A dashed marker across the group's bars, e.g. the link rate. */
  marker?: { value: number; label: string };
}

export interface BarChart {
  title: string;
  subtitle?: string;
  unit: string;
  groups: BarGroup[];
}

const WIDTH = 820;
const LABEL_W = 270;
const BAR_W = 400;
const ROW = 24;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

export function barChartSvg(chart: BarChart): string {
  const max =
    Math.max(
      ...chart.groups.flatMap((g) => [...g.bars.map((b) => b.value), g.marker?.value ?? 0]),
    ) || 1;
  const x = (v: number): number => LABEL_W + (v / max) * BAR_W;
  const out: string[] = [];
  let y = chart.subtitle ? 62 : 46;
  for (const g of chart.groups) {
    out.push(
      `<text x="12" y="${y + 16}" font-size="13" font-weight="600" fill="#111827">${esc(g.label)}</text>`,
    );
    y += ROW;
    const top = y;
    const markerX = g.marker ? x(g.marker.value) : LABEL_W;
    for (const b of g.bars) {
      const w = Math.max(1, x(b.value) - LABEL_W);
      const text = `${num(b.value)} ${chart.unit}${b.note ? ` · ${b.note}` : ''}`;
      // Values start right of the bar, or of the marker line when it crosses the row.
      const textX = Math.max(LABEL_W + w, markerX + 2) + 6;
      out.push(
        `<text x="${LABEL_W - 8}" y="${y + 15}" font-size="12" text-anchor="end" fill="#374151">${esc(b.label)}</text>`,
        `<rect x="${LABEL_W}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 7}" rx="2" fill="${b.color}"/>`,
        `<text x="${textX.toFixed(1)}" y="${y + 15}" font-size="12" fill="#111827">${esc(text)}</text>`,
      );
      y += ROW;
    }
    if (g.marker) {
      const mx = markerX.toFixed(1);
      out.push(
        `<line x1="${mx}" y1="${top}" x2="${mx}" y2="${y + 2}" stroke="#dc2626" stroke-width="1.5" stroke-dasharray="4 3"/>`,
        `<text x="${mx}" y="${y + 14}" font-size="11" text-anchor="middle" fill="#dc2626">${esc(g.marker.label)}</text>`,
      );
      y += 16;
    }
    y += 10;
  }
  const height = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT}>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="12" y="24" font-size="16" font-weight="700" fill="#111827">${esc(chart.title)}</text>`,
    chart.subtitle
      ? `<text x="12" y="44" font-size="12" fill="#6b7280">${esc(chart.subtitle)}</text>`
      : '',
    ...out,
    '</svg>',
    '',
  ].join('\n');
}
