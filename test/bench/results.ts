import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FanoutResult } from './bench-fanout';
import type { LagBenchResult } from './bench-lag';
import type { MemoryResult } from './bench-memory';
import type { NetnsResult } from './bench-netns';
import type { RateCapResult } from './bench-ratecap';
import type { ResumeResult } from './bench-resume';
import type { SmallFilesResult } from './bench-small-files';
import type { ThroughputResult } from './bench-throughput';
import type { WanResult } from './bench-wan';

/** Everything one run measured; written as test-results/bench.json. */
export interface BenchResults {
  meta: {
    date: string;
    quick: boolean;
    node: string;
    cpus: number;
    cpuModel: string;
    memoryGiB: number;
    kernel: string;
    seed: number;
    seconds: number;
    /** 1-minute load average at the start and the end: other work on the machine skews figures. */
    loadAverage: { start: number; end: number };
    errors: Record<string, string>;
  };
  throughput?: ThroughputResult;
  netns?: NetnsResult;
  memory?: MemoryResult;
  resume?: ResumeResult;
  lag?: LagBenchResult;
  ratecap?: RateCapResult;
  wan?: WanResult;
  smallFiles?: SmallFilesResult;
  fanout?: FanoutResult;
}

export function writeResults(file: string, results: BenchResults): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
