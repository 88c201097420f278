import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from './results';
import { fmtMiB } from './report';
import { barChartSvg, type BarGroup } from './svg';

const FIRMDROP = '#2563eb';
const BASELINE = '#9ca3af';
const CEILING = '#10b981';
const ratio = (r: number | null): string => (r === null ? '' : `${(r * 100).toFixed(0)} % of link`);

/**
 * Writes bench-throughput.svg, bench-memory.svg, bench-lag.svg and bench-wan.svg for what the run
 * measured.
 */
export function writeCharts(r: BenchResults, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const save = (name: string, svg: string): void => {
    const path = join(dir, name);
    writeFileSync(path, svg);
    written.push(path);
  };
  const subtitle = `${r.meta.date.slice(0, 10)} · ${r.meta.cpus} cores · Node ${r.meta.node}${r.meta.quick ? ' · QUICK run' : ''}`;

  const groups: BarGroup[] = [];
  if (r.throughput) {
    const l = r.throughput.limited;
    groups.push({
      label: `${fmtMiB(l.bytes)} over ${l.link.bytesPerSec / 2 ** 20} MiB/s + ${l.link.latencyMs} ms per request (sandbox throttle)`,
      marker: {
        value: l.link.bytesPerSec / 2 ** 20,
        label: `link ${l.link.bytesPerSec / 2 ** 20} MiB/s`,
      },
      bars: [
        {
          label: 'Firmdrop CLI',
          value: l.firmdrop.mibPerSec,
          color: FIRMDROP,
          note: ratio(l.firmdrop.ofLink),
        },
        {
          label: 'baseline script',
          value: l.baseline.mibPerSec,
          color: BASELINE,
          note: ratio(l.baseline.ofLink),
        },
        {
          label: 'curl, one connection',
          value: l.curl.mibPerSec,
          color: CEILING,
          note: ratio(l.curl.ofLink),
        },
      ],
    });
  }
  if (r.netns && !('skipped' in r.netns)) {
    const n = r.netns;
    groups.push({
      label: `${fmtMiB(n.bytes)} over a veth pair, tbf ${n.tcRate}, + ${n.latencyMs} ms per request`,
      marker: {
        value: r.netns.firmdrop.mibPerSec / (r.netns.firmdrop.ofLink ?? 1),
        label: `link ${n.tcRate}`,
      },
      bars: [
        {
          label: 'Firmdrop CLI',
          value: n.firmdrop.mibPerSec,
          color: FIRMDROP,
          note: ratio(n.firmdrop.ofLink),
        },
        {
          label: 'baseline script',
          value: n.baseline.mibPerSec,
          color: BASELINE,
          note: ratio(n.baseline.ofLink),
        },
      ],
    });
  }
  if (r.throughput) {
    const u = r.throughput.unlimited;
    groups.push({
      label: `${fmtMiB(u.bytes)} over unlimited loopback (CPU-bound, median of ${u.repeats})`,
      bars: [
        { label: 'Firmdrop CLI', value: u.firmdrop.mibPerSec, color: FIRMDROP },
        { label: 'baseline script', value: u.baseline.mibPerSec, color: BASELINE },
      ],
    });
  }
  if (groups.length > 0) {
    save(
      'bench-throughput.svg',
      barChartSvg({
        title: 'Upload throughput (MiB/s, higher is better)',
        subtitle,
        unit: 'MiB/s',
        groups,
      }),
    );
  }

  if (r.memory) {
    const m = r.memory;
    save(
      'bench-memory.svg',
      barChartSvg({
        title: 'Peak RSS of the Firmdrop CLI process (MiB, flat is the goal)',
        subtitle,
        unit: 'MiB',
        groups: [
          {
            label: 'file size → peak RSS (VmHWM)',
            marker: {
              value: m.floorRssMiB + (2 * m.chunkBytes) / 2 ** 20,
              label: 'floor + 2 chunks',
            },
            bars: [
              { label: 'firmdrop help (floor)', value: m.floorRssMiB, color: BASELINE },
              ...m.rows.map((x) => ({
                label: `upload ${fmtMiB(x.bytes)}`,
                value: x.maxRssMiB,
                color: FIRMDROP,
              })),
            ],
          },
        ],
      }),
    );
  }

  if (r.wan) {
    const w = r.wan;
    const rate = w.rateBytesPerSec / 2 ** 20;
    const ofBest = (x: number): string => `${(x * 100).toFixed(0)} % of best`;
    save(
      'bench-wan.svg',
      barChartSvg({
        title: `WAN model: TLS, ${rate} MiB/s shared (MiB/s, higher is better)`,
        subtitle,
        unit: 'MiB/s',
        groups: w.cases.map((c) => ({
          label: `${fmtMiB(c.bytes)}, RTT ${c.rttMs} ms`,
          marker: { value: rate, label: `link ${rate} MiB/s` },
          bars: [
            {
              label: 'Firmdrop CLI',
              value: c.firmdrop.mibPerSec,
              color: FIRMDROP,
              note: ofBest(c.ratios.firmdropOfBest),
            },
            {
              label: 'Firmdrop engine (as in the app)',
              value: c.engine.mibPerSec,
              color: FIRMDROP,
              note: ofBest(c.ratios.engineOfBest),
            },
            {
              label: 'manifest-tool algorithm',
              value: c.manifestTool.mibPerSec,
              color: BASELINE,
              note: ofBest(c.ratios.manifestToolOfBest),
            },
            {
              label: `ceiling, ${fmtMiB(w.ceilingChunkBytes)} chunks`,
              value: c.ceiling.mibPerSec,
              color: CEILING,
              note: ofBest(c.ratios.ceilingOfBest),
            },
            {
              label: `best ceiling, ${fmtMiB(w.bestChunkBytes)} chunks`,
              value: c.best.mibPerSec,
              color: CEILING,
            },
          ],
        })),
      }),
    );
  }

  if (r.lag) {
    save(
      'bench-lag.svg',
      barChartSvg({
        title: 'Event-loop lag, engine in-process (ms, lower is better)',
        subtitle,
        unit: 'ms',
        groups: r.lag.cases.map((c) => ({
          label: `${fmtMiB(c.bytes)} upload, ${c.link}`,
          bars: [
            { label: 'idle p99', value: c.idle.p99Ms, color: BASELINE },
            { label: 'uploading p99', value: c.upload.p99Ms, color: FIRMDROP },
            { label: 'idle max', value: c.idle.maxMs, color: BASELINE },
            { label: 'uploading max', value: c.upload.maxMs, color: FIRMDROP },
          ],
        })),
      }),
    );
  }
  return written;
}
