import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { MiB } from '../../src-main/core/limits';

const BLOCK = 8 * MiB;

/**
 * A file of incompressible bytes, written in blocks of one random pattern with each block's number
 * stamped at its start, so no two chunks are alike (hash work does not depend on content anyway).
 * It is fsynced: otherwise the kernel writes it back during the measurement, and the journal's own
 * fsyncs queue behind that writeback (measured: journal commits of 5–14 ms instead of < 1 ms).
 * The file stays in the page cache, so uploads read it at memory speed, not disk speed.
 */
export function makeDataFile(path: string, bytes: number): void {
  const pattern = randomBytes(BLOCK);
  const fd = openSync(path, 'w');
  try {
    for (let at = 0, n = 0; at < bytes; at += BLOCK, n++) {
      pattern.writeUInt32BE(n, 0);
      writeSync(fd, pattern, 0, Math.min(BLOCK, bytes - at), at);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A sparse file of zeros: reading it costs no disk, so only the uploader's own work shows. */
export function makeSparseFile(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

const made = new Set<string>();

/**
 * A generated data file of `bytes` in `dir`, made once per run and shared by the benchmarks that
 * upload the same size (uploads only read it); it goes with the run's temporary directory.
 */
export function dataFile(dir: string, bytes: number): string {
  const path = join(dir, `data-${bytes}.bin`);
  if (!made.has(path)) {
    makeDataFile(path, bytes);
    made.add(path);
  }
  return path;
}
