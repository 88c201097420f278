import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isFirmdropError } from '../../../src-main/core/errors';
import {
  CHUNK_WORKER_ENV,
  ChunkReadError,
  openChunkReader,
} from '../../../src-main/upload/chunk-reader';

const dir = mkdtempSync(join(tmpdir(), 'firmdrop-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('chunk reader (worker thread)', () => {
  it('returns each chunk with its MD5 and the SHA-256 of the whole file', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 123);
    const file = join(dir, 'a.bin');
    writeFileSync(file, data);
    const reader = openChunkReader(file);
    const size = 1024 * 1024;
    try {
      for (let off = 0; off < data.length; off += size) {
        const len = Math.min(size, data.length - off);
        const chunk = await reader.read(off, len);
        const expected = data.subarray(off, off + len);
        expect(chunk.bytes.equals(expected)).toBe(true);
        expect(chunk.md5Hex).toBe(createHash('md5').update(expected).digest('hex'));
        expect(chunk.md5Base64).toBe(createHash('md5').update(expected).digest('base64'));
      }
      expect(await reader.sha256()).toBe(createHash('sha256').update(data).digest('hex'));
    } finally {
      await reader.close();
    }
  });

  it('reuses recycled chunk memory and still returns the right bytes', async () => {
    const data = randomBytes(4 * 1024 * 1024);
    const file = join(dir, 'r.bin');
    writeFileSync(file, data);
    const reader = openChunkReader(file);
    const size = 1024 * 1024;
    try {
      for (let off = 0; off < data.length; off += size) {
        const chunk = await reader.read(off, size);
        expect(chunk.bytes.equals(data.subarray(off, off + size))).toBe(true);
        reader.recycle(chunk.bytes);
        // Handed back to the worker: this side no longer holds the memory.
        expect(chunk.bytes.buffer.byteLength).toBe(0);
      }
      expect(await reader.sha256()).toBe(createHash('sha256').update(data).digest('hex'));
    } finally {
      await reader.close();
    }
  });

  it('refuses reads out of order, so the SHA-256 can never skip bytes', async () => {
    const file = join(dir, 'b.bin');
    writeFileSync(file, randomBytes(4096));
    const reader = openChunkReader(file);
    try {
      await expect(reader.read(1024, 1024)).rejects.toThrow(/contiguous/);
    } finally {
      await reader.close();
    }
  });

  it('reports a file that shrank as a short read', async () => {
    const file = join(dir, 'c.bin');
    writeFileSync(file, randomBytes(8192));
    const reader = openChunkReader(file);
    try {
      await reader.read(0, 4096);
      truncateSync(file, 5000);
      const err = await reader.read(4096, 4096).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChunkReadError);
      expect((err as ChunkReadError).reason).toBe('short-read');
    } finally {
      await reader.close();
    }
  });

  it('reports a missing file as an I/O error', async () => {
    const reader = openChunkReader(join(dir, 'missing.bin'));
    const err = await reader.read(0, 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChunkReadError);
    await reader.close();
  });

  it('says to rebuild when the built worker is missing, rather than blaming the file', () => {
    const built = process.env[CHUNK_WORKER_ENV];
    const missing = join(dir, 'no-such-worker.cjs');
    process.env[CHUNK_WORKER_ENV] = missing;
    try {
      const file = join(dir, 'd.bin');
      writeFileSync(file, randomBytes(16));
      let err: unknown;
      try {
        void openChunkReader(file).close();
      } catch (e) {
        err = e;
      }
      expect(isFirmdropError(err, 'internal')).toBe(true);
      expect((err as Error).message).toContain(missing);
      expect((err as Error).message).toContain('npm run build');
    } finally {
      process.env[CHUNK_WORKER_ENV] = built;
    }
  });
});
