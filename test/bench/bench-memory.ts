import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runFirmdrop } from './cli-run';
import type { BenchConfig, BenchDirs } from './config';
import { makeSparseFile } from './files';
import { fmtMiB, fmtRate, fmtSec, printTable } from './report';
import { firmdropUpload } from './runs';
import { startSandboxProcess } from './sandbox-process';

export interface MemoryRow {
  bytes: number;
  maxRssMiB: number;
  seconds: number;
  mibPerSec: number;
}

export interface MemoryResult {
  chunkBytes: number;
  /** Peak RSS of `firmdrop help`: Node plus the CLI bundle, before any upload machinery. */
  floorRssMiB: number;
  rows: MemoryRow[];
  /** Peak RSS of the largest file minus that of the smallest. */
  growthMiB: number;
}

/**
 * Benchmark 2: peak RSS (VmHWM, read by GNU time at exit) of the CLI process uploading sparse
 * files of growing size over unlimited loopback, where buffers would pile up first if any did.
 */
export async function benchMemory(cfg: BenchConfig, dirs: BenchDirs): Promise<MemoryResult> {
  const dir = dirs.work;
  const sandbox = await startSandboxProcess({
    cli: cfg.cli,
    dataDir: join(dirs.sandbox, 'sandbox-mem'),
  });
  const target = { sandbox, url: sandbox.url, linkBytesPerSec: null };
  try {
    const floor = await runFirmdrop({
      cli: cfg.cli,
      args: ['help'],
      url: sandbox.url,
      apiKey: sandbox.apiKey,
      measure: { scratchDir: dir },
    });
    const rows: MemoryRow[] = [];
    for (const bytes of cfg.sizes.memory) {
      const file = join(dir, `memory-${bytes}.bin`);
      makeSparseFile(file, bytes);
      try {
        const f = await firmdropUpload(cfg, target, {
          file,
          bytes,
          dir,
          label: 'mem',
        });
        rows.push({
          bytes,
          maxRssMiB: (f.maxRssKiB ?? NaN) / 1024,
          seconds: f.seconds,
          mibPerSec: f.mibPerSec,
        });
      } finally {
        rmSync(file, { force: true });
      }
    }
    const first = rows[0]?.maxRssMiB ?? NaN;
    const last = rows[rows.length - 1]?.maxRssMiB ?? NaN;
    return {
      chunkBytes: cfg.chunkBytes,
      floorRssMiB: (floor.maxRssKiB ?? NaN) / 1024,
      rows,
      growthMiB: last - first,
    };
  } finally {
    await sandbox.stop();
  }
}

export function printMemory(r: MemoryResult): void {
  printTable(
    '2. Peak RSS of the Firmdrop CLI process by file size (sparse files, unlimited loopback, 16 MiB chunks)',
    ['file', 'peak RSS', 'time', 'MiB/s'],
    [
      ['(firmdrop help: start-up floor)', `${r.floorRssMiB.toFixed(0)} MiB`, '', ''],
      ...r.rows.map((x) => [
        fmtMiB(x.bytes),
        `${x.maxRssMiB.toFixed(0)} MiB`,
        fmtSec(x.seconds),
        fmtRate(x.mibPerSec),
      ]),
    ],
    [
      `Growth from the smallest to the largest file: ${r.growthMiB >= 0 ? '+' : ''}${r.growthMiB.toFixed(0)} MiB for ${(
        (r.rows[r.rows.length - 1]?.bytes ?? 0) / (r.rows[0]?.bytes ?? 1)
      ).toFixed(0)}× the data.`,
      `Design target "about two chunks": floor + 2 × ${r.chunkBytes / 2 ** 20} MiB = ${(r.floorRssMiB + (2 * r.chunkBytes) / 2 ** 20).toFixed(0)} MiB. Above that: the reader's`,
      'pool of recycled chunk buffers (up to 3), the worker thread, and the HTTP and SQLite buffers.',
    ],
  );
}
