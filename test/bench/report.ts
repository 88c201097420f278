import { MiB } from '../../src-main/core/limits';

export const mibPerSec = (bytes: number, seconds: number): number => bytes / MiB / seconds;
export const fmtMiB = (bytes: number): string =>
  bytes >= 1024 * MiB
    ? `${(bytes / 1024 / MiB).toFixed(bytes % (1024 * MiB) ? 2 : 0)} GiB`
    : `${Math.round(bytes / MiB)} MiB`;
export const fmtRate = (v: number): string => `${v.toFixed(1)} MiB/s`;
export const fmtSec = (s: number): string => `${s.toFixed(2)} s`;
export const fmtMs = (ms: number): string => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
export const fmtRatio = (r: number | null): string => (r === null ? '—' : `${r.toFixed(2)}×`);
export const fmtPct = (r: number): string => `${(r * 100).toFixed(0)} %`;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/** Prints a table with a title, left-aligned first column and right-aligned figures. */
export function printTable(title: string, head: string[], rows: string[][], notes: string[] = []) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  const rule = '-'.repeat(widths.reduce((a, w) => a + w + 2, -2));
  const out = [``, title, rule, line(head), rule, ...rows.map(line), rule, ...notes];
  process.stdout.write(`${out.join('\n')}\n`);
}
