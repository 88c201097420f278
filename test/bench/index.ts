/**
 * `npm run bench`: throughput against the link and two baselines, memory by file size, the cost of
 * a resume after SIGKILL, event-loop lag with the engine in-process, and the WAN model (TLS, RTT,
 * handshakes, slow start) against manifest-tool's algorithm and two ceiling clients. Figures and ratios are
 * printed (never asserted); raw results go to test-results/bench.json, charts beside them.
 * Knobs: FIRMDROP_BENCH_QUICK=1, FIRMDROP_BENCH_ONLY=throughput,netns,memory,resume,lag,ratecap,wan,small-files,fanout,
 * FIRMDROP_BENCH_NETNS=0, FIRMDROP_BENCH_SEED=N, FIRMDROP_BENCH_TMPDIR, FIRMDROP_BENCH_SANDBOX_DIR,
 * FIRMDROP_BENCH_CHARTS_DIR (see docs/benchmarks.md).
 * `--charts-from FILE` only redraws the charts from a saved bench.json.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFanout, printFanout } from './bench-fanout';
import { benchLag, printLag } from './bench-lag';
import { benchMemory, printMemory } from './bench-memory';
import { benchRateCap, printRateCap } from './bench-ratecap';
import { benchNetns, printNetns } from './bench-netns';
import { benchResume, printResume } from './bench-resume';
import { benchSmallFiles, printSmallFiles } from './bench-small-files';
import { benchThroughput, printThroughput } from './bench-throughput';
import { benchWan, printWan } from './bench-wan';
import { writeCharts } from './charts';
import { onCleanup, runCleanup } from './cleanup';
import { loadConfig, type BenchConfig, type BenchDirs, type BenchName } from './config';
import { fmtMiB } from './report';
import { writeResults, type BenchResults } from './results';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export default async function bench(args: string[]): Promise<number> {
  const cfg = loadConfig(process.env, root);
  if (args[0] === '--charts-from') {
    const saved = JSON.parse(readFileSync(args[1] ?? cfg.resultsFile, 'utf8')) as BenchResults;
    for (const f of writeCharts(saved, cfg.chartsDir)) process.stdout.write(`wrote ${f}\n`);
    return 0;
  }
  if (!existsSync(cfg.cli)) {
    throw new Error(`${cfg.cli} is missing: run "npm run build:cli" first (npm run bench does).`);
  }
  const started = performance.now();
  const results: BenchResults = { meta: meta(cfg) };
  printHeader(cfg, results);
  const dirs: BenchDirs = {
    work: mkdtempSync(join(cfg.tmpBase, 'firmdrop-bench-')),
    sandbox: mkdtempSync(join(cfg.sandboxBase, 'firmdrop-bench-sandbox-')),
  };
  onCleanup('remove the temporary files', () => {
    rmSync(dirs.work, { recursive: true, force: true });
    rmSync(dirs.sandbox, { recursive: true, force: true });
  });
  try {
    const step = async <T>(name: BenchName, run: () => Promise<T>, print: (r: T) => void) => {
      if (!cfg.only.has(name)) return undefined;
      const t0 = performance.now();
      try {
        const r = await run();
        print(r);
        process.stdout.write(`(${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
        return r;
      } catch (err) {
        const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
        results.meta.errors[name] = msg;
        process.stdout.write(`\n${name}: FAILED: ${msg}\n`);
        return undefined;
      }
    };
    results.throughput = await step(
      'throughput',
      () => benchThroughput(cfg, dirs),
      printThroughput,
    );
    results.netns = await step('netns', () => benchNetns(cfg, dirs), printNetns);
    results.memory = await step('memory', () => benchMemory(cfg, dirs), printMemory);
    const ref = results.throughput?.limited.firmdrop ?? null;
    results.resume = await step('resume', () => benchResume(cfg, dirs, ref), printResume);
    results.lag = await step('lag', () => benchLag(cfg, dirs), printLag);
    results.ratecap = await step('ratecap', () => benchRateCap(cfg, dirs), printRateCap);
    results.wan = await step('wan', () => benchWan(cfg, dirs), printWan);
    results.smallFiles = await step(
      'small-files',
      () => benchSmallFiles(cfg, dirs),
      printSmallFiles,
    );
    results.fanout = await step('fanout', () => benchFanout(cfg, dirs), printFanout);
  } finally {
    runCleanup();
  }
  results.meta.seconds = (performance.now() - started) / 1000;
  results.meta.loadAverage.end = loadavg()[0] ?? NaN;
  writeResults(cfg.resultsFile, results);
  const charts = writeCharts(results, cfg.chartsDir);
  process.stdout.write(
    `\nRaw results: ${cfg.resultsFile}\nCharts: ${charts.join(', ')}\nTotal: ${results.meta.seconds.toFixed(0)} s; load average at the end ${results.meta.loadAverage.end.toFixed(2)}\n`,
  );
  return Object.keys(results.meta.errors).length > 0 ? 1 : 0;
}

function meta(cfg: BenchConfig): BenchResults['meta'] {
  return {
    date: new Date().toISOString(),
    quick: cfg.quick,
    node: process.versions.node,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    seed: cfg.seed,
    seconds: 0,
    loadAverage: { start: loadavg()[0] ?? NaN, end: NaN },
    errors: {},
  };
}

function printHeader(cfg: BenchConfig, r: BenchResults): void {
  const m = r.meta;
  const s = cfg.sizes;
  process.stdout.write(
    [
      `Firmdrop benchmarks — ${m.date} — ${cfg.quick ? 'QUICK' : 'full'} run`,
      `Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}; load average ${m.loadAverage.start.toFixed(2)}`,
      `Link model: ${cfg.link.bytesPerSec / 2 ** 20} MiB/s on request bodies + ${cfg.link.latencyMs} ms per request (sandbox); veth: tbf ${cfg.netns.tcRate} + ${cfg.netns.latencyMs} ms`,
      `WAN model: TLS 1.3, RTT ${cfg.wan.rttsMs.join('/')} ms, ${cfg.wan.rateBytesPerSec / 2 ** 20} MiB/s shared, sizes ${cfg.wan.sizes.map(fmtMiB).join('/')}`,
      `Sizes: throughput ${fmtMiB(s.throughput)}, unlimited ${fmtMiB(s.unlimited)}, veth ${fmtMiB(s.netns)}, memory ${s.memory.map(fmtMiB).join('/')}, resume ${fmtMiB(s.resume)}, lag ${fmtMiB(s.lagUnlimited)}/${fmtMiB(s.lagLink)}`,
      `Running: ${[...cfg.only].join(', ')}; seed ${cfg.seed}; sandbox data in ${cfg.sandboxBase}, files in ${cfg.tmpBase}`,
      '',
    ].join('\n'),
  );
}
