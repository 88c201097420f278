import { statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { GiB, MiB } from '../../src-main/core/limits';

/** Scratch space of one run: generated files and journals; the sandboxes' data (see sandboxBase). */
export interface BenchDirs {
  work: string;
  sandbox: string;
}

export const BENCH_NAMES = [
  'throughput',
  'netns',
  'memory',
  'resume',
  'lag',
  'ratecap',
  'wan',
  'small-files',
  'fanout',
] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

/** Everything a run needs to know, from the environment; printed at the start of the run. */
export interface BenchConfig {
  quick: boolean;
  only: ReadonlySet<BenchName>;
  /** Seeds the random kill point of the resume benchmark (printed so a run can be repeated). */
  seed: number;
  root: string;
  cli: string;
  tmpBase: string;
  /**
   * Where the sandboxes keep their data: tmpfs (/dev/shm) when it has room, because the real
   * service's storage is not on the uploader's disk; there its writes would compete with the
   * journal's fsyncs and the file reads, which the real thing never does.
   */
  sandboxBase: string;
  resultsFile: string;
  chartsDir: string;
  /** The modelled link: a bandwidth limit on request bodies plus a delay before every request. */
  link: { bytesPerSec: number; latencyMs: number };
  /** The veth variant: tbf on the client's side of the pair; RTT is the sandbox's latency. */
  netns: { enabled: boolean; tcRate: string; bytesPerSec: number; latencyMs: number };
  chunkBytes: number;
  baselineChunkBytes: number;
  /** Runs per CPU-bound (unlimited) measurement; the median is reported. */
  unlimitedRepeats: number;
  sizes: {
    throughput: number;
    unlimited: number;
    netns: number;
    memory: number[];
    resume: number;
    lagUnlimited: number;
    lagLink: number;
  };
  lagIdleSeconds: number;
  /** The WAN cases: a TLS sandbox with the link model at each RTT, for each size. */
  wan: { rttsMs: number[]; rateBytesPerSec: number; sizes: number[]; bestChunkBytes: number };
}

const FULL = {
  throughput: 1 * GiB,
  unlimited: 1 * GiB,
  netns: 384 * MiB,
  memory: [256 * MiB, 1 * GiB, 4 * GiB],
  resume: 1 * GiB,
  lagUnlimited: 1 * GiB,
  lagLink: 256 * MiB,
};
const QUICK = {
  throughput: 128 * MiB,
  unlimited: 256 * MiB,
  netns: 64 * MiB,
  memory: [64 * MiB, 256 * MiB],
  resume: 128 * MiB,
  lagUnlimited: 256 * MiB,
  lagLink: 64 * MiB,
};

export function loadConfig(env: NodeJS.ProcessEnv, root: string): BenchConfig {
  const quick = env.FIRMDROP_BENCH_QUICK === '1';
  const only = parseOnly(env.FIRMDROP_BENCH_ONLY);
  const seed = env.FIRMDROP_BENCH_SEED ? Number(env.FIRMDROP_BENCH_SEED) : Date.now() % 1_000_000;
  if (!Number.isSafeInteger(seed)) throw new Error('FIRMDROP_BENCH_SEED must be an integer.');
  return {
    quick,
    only,
    seed,
    root,
    cli: resolve(root, 'out/cli/firmdrop.cjs'),
    tmpBase: env.FIRMDROP_BENCH_TMPDIR || tmpdir(),
    sandboxBase: env.FIRMDROP_BENCH_SANDBOX_DIR || sandboxBase(quick ? QUICK : FULL),
    resultsFile: resolve(root, 'test-results/bench.json'),
    chartsDir: resolve(root, env.FIRMDROP_BENCH_CHARTS_DIR || 'test-results'),
    link: { bytesPerSec: 50 * MiB, latencyMs: 20 },
    netns: {
      enabled: env.FIRMDROP_BENCH_NETNS !== '0',
      tcRate: '200mbit',
      bytesPerSec: 200_000_000 / 8,
      latencyMs: 20,
    },
    chunkBytes: 16 * MiB,
    baselineChunkBytes: 6 * MiB,
    unlimitedRepeats: quick ? 1 : 3,
    sizes: quick ? QUICK : FULL,
    lagIdleSeconds: quick ? 2 : 3,
    wan: {
      rttsMs:
        numberList(env.FIRMDROP_BENCH_WAN_RTTS, 'FIRMDROP_BENCH_WAN_RTTS') ??
        (quick ? [20, 100] : [20, 100, 200]),
      rateBytesPerSec: 40 * MiB,
      // Quick: one size, above manifest-tool's 100 MiB threshold for upload jobs.
      sizes:
        numberList(env.FIRMDROP_BENCH_WAN_SIZES, 'FIRMDROP_BENCH_WAN_SIZES')?.map((m) => m * MiB) ??
        (quick ? [128 * MiB] : [256 * MiB, 1 * GiB]),
      bestChunkBytes: 96 * MiB,
    },
  };
}

/** "20,100" → [20, 100]; unset → null. For the WAN cases' RTTs (ms) and sizes (MiB). */
function numberList(raw: string | undefined, name: string): number[] | null {
  if (!raw) return null;
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isSafeInteger(n) || n < 0)) {
    throw new Error(`${name} must be whole numbers separated by commas, e.g. 20,100.`);
  }
  return list;
}

function parseOnly(raw: string | undefined): ReadonlySet<BenchName> {
  if (!raw) return new Set(BENCH_NAMES);
  const names = raw.split(',').map((s) => s.trim());
  const bad = names.filter((n) => !(BENCH_NAMES as readonly string[]).includes(n));
  if (bad.length > 0) {
    throw new Error(
      `FIRMDROP_BENCH_ONLY names unknown benchmarks (${bad.join(', ')}); use some of ${BENCH_NAMES.join(', ')}.`,
    );
  }
  return new Set(names as BenchName[]);
}

/** tmpfs when it can hold the largest image the run uploads (plus room), else the temp dir. */
function sandboxBase(sizes: typeof FULL): string {
  const need = Math.max(...sizes.memory, sizes.throughput, sizes.unlimited) + 2 * GiB;
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize >= need) return '/dev/shm';
  } catch {
    // No /dev/shm (not Linux, or not mounted).
  }
  return tmpdir();
}
