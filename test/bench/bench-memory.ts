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

/** The largest file again at other chunk sizes: memory must not grow with the chunk. */
export interface MemoryByChunkRow {
  /** MiB per chunk, or null for sizes adapted to the link. */
  chunkMiB: number | null;
  bytes: number;
  maxRssMiB: number;
  seconds: number;
}

export interface MemoryResult {
  chunkBytes: number;
  byChunk?: MemoryByChunkRow[];
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
    const byChunk: MemoryByChunkRow[] = [];
    const largest = cfg.sizes.memory[cfg.sizes.memory.length - 1] ?? 0;
    const file = join(dir, `memory-chunks-${largest}.bin`);
    makeSparseFile(file, largest);
    try {
      for (const chunkMiB of [5, 100, null]) {
        const label = `mem-${chunkMiB ?? 'adaptive'}`;
        const f = await firmdropUpload(cfg, target, { file, bytes: largest, dir, label, chunkMiB });
        byChunk.push({
          chunkMiB,
          bytes: largest,
          maxRssMiB: (f.maxRssKiB ?? NaN) / 1024,
          seconds: f.seconds,
        });
      }
    } finally {
      rmSync(file, { force: true });
    }
    const first = rows[0]?.maxRssMiB ?? NaN;
    const last = rows[rows.length - 1]?.maxRssMiB ?? NaN;
    return {
      chunkBytes: cfg.chunkBytes,
      floorRssMiB: (floor.maxRssKiB ?? NaN) / 1024,
      rows,
      byChunk,
      growthMiB: last - first,
    };
  } finally {
    await sandbox.stop();
  }
}

export function printMemory(r: MemoryResult): void {
  printMemoryTable(r);
  printMemoryByChunk(r);
}

function printMemoryTable(r: MemoryResult): void {
  printTable(
    `2. Peak RSS of the Firmdrop CLI process by file size (sparse files, unlimited loopback, ${r.chunkBytes / 2 ** 20} MiB chunks)`,
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
      'Chunk bodies are streamed from the file and hashed on a worker through a 1 MiB buffer, so',
      'memory does not depend on the chunk size; target: ≤ 110 MiB for 4 GiB whatever the chunk.',
    ],
  );
}

export function printMemoryByChunk(r: MemoryResult): void {
  if (!r.byChunk?.length) return;
  printTable(
    '2b. Peak RSS of the Firmdrop CLI for the largest file, by chunk size',
    ['file', 'chunk size', 'peak RSS', 'time'],
    r.byChunk.map((x) => [
      fmtMiB(x.bytes),
      x.chunkMiB === null ? 'adaptive' : `${x.chunkMiB} MiB`,
      `${x.maxRssMiB.toFixed(0)} MiB`,
      fmtSec(x.seconds),
    ]),
    ['Target: ≤ 110 MiB for 4 GiB whatever the chunk size (full run).'],
  );
}
