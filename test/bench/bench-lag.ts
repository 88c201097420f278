import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runLag } from './child-run';
import type { BenchConfig, BenchDirs } from './config';
import { dataFile } from './files';
import type { LagResult, LagStats } from './lag-child';
import { fmtMiB, fmtMs, fmtRate, mibPerSec, printTable } from './report';
import { uniqueName } from './runs';
import { startSandboxProcess } from './sandbox-process';

export interface LagCase extends LagResult {
  link: string;
  mibPerSec: number;
}

export interface LagBenchResult {
  cases: LagCase[];
}

/**
 * Benchmark 4: event-loop lag in a process that runs the engine in-process (loaded through
 * run-ts, as the desktop app's main process would hold it), idle and then during an upload to the
 * sandbox process: over unlimited loopback (the worst case: the loop is never waiting on the link)
 * and over the modelled link.
 */
export async function benchLag(cfg: BenchConfig, dirs: BenchDirs): Promise<LagBenchResult> {
  const dir = dirs.work;
  const sandbox = await startSandboxProcess({
    cli: cfg.cli,
    dataDir: join(dirs.sandbox, 'sandbox-lag'),
  });
  const cases: LagCase[] = [];
  try {
    const runs = [
      { link: 'unlimited loopback', bytes: cfg.sizes.lagUnlimited, latencyMs: 0, bw: null },
      {
        link: `${cfg.link.bytesPerSec / 2 ** 20} MiB/s + ${cfg.link.latencyMs} ms`,
        bytes: cfg.sizes.lagLink,
        latencyMs: cfg.link.latencyMs,
        bw: cfg.link.bytesPerSec,
      },
    ];
    for (const run of runs) {
      const file = dataFile(dir, run.bytes);
      await sandbox.setLink({ latencyMs: run.latencyMs, bandwidthBytesPerSec: run.bw });
      const dataDir = mkdtempSync(join(dir, 'journal-lag-'));
      try {
        const r = await runLag(cfg.root, {
          url: sandbox.url,
          apiKey: sandbox.apiKey,
          file,
          name: uniqueName('lag'),
          dataDir,
          idleSeconds: cfg.lagIdleSeconds,
        });
        cases.push({ ...r, link: run.link, mibPerSec: mibPerSec(r.bytes, r.uploadSeconds) });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    return { cases };
  } finally {
    await sandbox.stop();
  }
}

export function printLag(r: LagBenchResult): void {
  const pct = (x: number): string => (Number.isNaN(x) ? '—' : `${(x * 100).toFixed(0)} %`);
  const row = (label: string, s: LagStats): string[] => [
    label,
    fmtMs(s.p50Ms),
    fmtMs(s.p99Ms),
    fmtMs(s.p999Ms),
    fmtMs(s.maxMs),
    `${(s.utilization * 100).toFixed(0)} %`,
    pct(s.mainThreadCpu),
    pct(s.mainThreadWait),
    pct(s.otherThreadsCpu),
  ];
  const rows: string[][] = [];
  for (const c of r.cases) {
    rows.push(row(`idle (same process, before the ${c.link} upload)`, c.idle));
    rows.push(row(`uploading ${fmtMiB(c.bytes)}, ${c.link} (${fmtRate(c.mibPerSec)})`, c.upload));
  }
  // Detail rows: what the loop did during each upload, in the first columns.
  const detail = (...cells: string[]): string[] => [...cells, ...Array(9 - cells.length).fill('')];
  for (const c of r.cases) {
    const st = c.store;
    rows.push(
      detail(
        `  journal (SQLite) calls, ${c.link}`,
        `${st.calls} calls`,
        `${fmtMs(st.totalMs)} in all`,
        `max ${fmtMs(st.maxMs)}`,
      ),
    );
  }
  for (const c of r.cases) {
    const gc = c.gc;
    rows.push(
      detail(
        `  garbage collections, ${c.link}`,
        `${gc.major} full`,
        `${fmtMs(gc.totalMs)} in all`,
        `max ${fmtMs(gc.maxMs)}`,
      ),
    );
  }
  for (const c of r.cases) {
    const s = c.stalls;
    const part = (x: number): string =>
      `${s.totalMs > 0 ? ((x / s.totalMs) * 100).toFixed(0) : 0} %`;
    rows.push(
      detail(
        `  stalls over 20 ms, ${c.link}`,
        `${s.count} stalls`,
        `${fmtMs(s.totalMs)} in all`,
        `GC ${part(s.gcMs)}`,
        `journal ${part(s.storeMs)}`,
      ),
    );
  }
  printTable(
    '4. Event-loop lag of a process running the engine in-process (monitorEventLoopDelay, 2 ms resolution)',
    ['state', 'p50', 'p99', 'p99.9', 'max', 'loop busy', 'loop CPU', 'loop waits', 'others CPU'],
    rows,
    [
      'Lag = how late a 2 ms timer fired; "loop busy" = eventLoopUtilization (wall time in callbacks); per wall second, the',
      'loop thread was on a core ("loop CPU") or runnable but waiting for one ("loop waits"). Reading and hashing run on a',
      'worker thread; the loop sends, and commits the journal (SQLite, synchronous = FULL) twice per chunk.',
      'Max is sensitive to anything else the machine runs: compare it with the idle rows.',
    ],
  );
}
