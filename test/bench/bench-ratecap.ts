import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MiB } from '../../src-main/core/limits';
import type { BenchConfig, BenchDirs } from './config';
import { makeSparseFile } from './files';
import { fmtMiB, fmtSec, printTable } from './report';
import { firmdropUpload } from './runs';
import { startSandboxProcess } from './sandbox-process';

export interface RateCapResult {
  capBytesPerSec: number;
  bytes: number;
  seconds: number;
  /** Bytes over the CLI's whole run time (start-up and completion included). */
  achievedBytesPerSec: number;
  /** achieved / cap. */
  ratio: number;
}

const CAP = 10 * MiB;
const SECONDS = 30;

/**
 * Benchmark: `--limit-rate 10M` over unlimited loopback, a file the cap needs 30 s for. The
 * figure is the CLI's whole run (start-up, pre-flight, completion and verify included), so it
 * errs a little below the cap; the target is within 5 % of it.
 */
export async function benchRateCap(cfg: BenchConfig, dirs: BenchDirs): Promise<RateCapResult> {
  const sandbox = await startSandboxProcess({
    cli: cfg.cli,
    dataDir: join(dirs.sandbox, 'sandbox-ratecap'),
  });
  const target = { sandbox, url: sandbox.url, linkBytesPerSec: null };
  const bytes = CAP * SECONDS;
  const file = join(dirs.work, 'ratecap.bin');
  makeSparseFile(file, bytes);
  try {
    const f = await firmdropUpload(cfg, target, {
      file,
      bytes,
      dir: dirs.work,
      label: 'ratecap',
      chunkMiB: null,
      extraArgs: ['--limit-rate', '10M'],
    });
    const achieved = bytes / f.seconds;
    return {
      capBytesPerSec: CAP,
      bytes,
      seconds: f.seconds,
      achievedBytesPerSec: achieved,
      ratio: achieved / CAP,
    };
  } finally {
    rmSync(file, { force: true });
    await sandbox.stop();
  }
}

export function printRateCap(r: RateCapResult): void {
  printTable(
    '6. Upload bandwidth cap (--limit-rate 10M, unlimited loopback, adaptive chunks)',
    ['file', 'cap', 'time', 'achieved', 'achieved / cap'],
    [
      [
        fmtMiB(r.bytes),
        `${(r.capBytesPerSec / MiB).toFixed(1)} MiB/s`,
        fmtSec(r.seconds),
        `${(r.achievedBytesPerSec / MiB).toFixed(2)} MiB/s`,
        r.ratio.toFixed(3),
      ],
    ],
    [
      'Whole CLI run time: start-up, pre-flight and verify count against the rate. Target: within 5 %.',
    ],
  );
}
