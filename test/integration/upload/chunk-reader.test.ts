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

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('chunk hasher (worker thread)', () => {
  it('returns each chunk with its MD5 and the SHA-256 of the whole file', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 123);
    const file = join(dir, 'a.bin');
    writeFileSync(file, data);
    const reader = openChunkReader(file, { sha256: true });
    try {
      // Sizes that change from chunk to chunk, as adaptive sizing cuts them.
      const cuts = [1024 * 1024 + 7, 2 * 1024 * 1024, 116];
      let off = 0;
      for (const len of cuts) {
        const expected = data.subarray(off, off + len);
        const chunk = await reader.hash(off, len);
        expect(chunk.md5Hex).toBe(md5(expected));
        expect(chunk.md5Base64).toBe(createHash('md5').update(expected).digest('base64'));
        off += len;
      }
      expect(await reader.sha256(data.length)).toBe(sha(data));
    } finally {
      await reader.close();
    }
  });

  it('keeps the SHA-256 whole when a range is hashed again or starts past a gap', async () => {
    const data = randomBytes(5 * 1024 * 1024 + 5);
    const file = join(dir, 'b.bin');
    writeFileSync(file, data);
    const reader = openChunkReader(file, { sha256: true });
    try {
      await reader.hash(0, 2 * 1024 * 1024);
      // A retry cut smaller: the same bytes again, which the SHA-256 must not take in twice.
      expect((await reader.hash(1024 * 1024, 1024 * 1024)).md5Hex).toBe(
        md5(data.subarray(1024 * 1024, 2 * 1024 * 1024)),
      );
      // A range past a gap: the gap is read for the SHA-256.
      await reader.hash(4 * 1024 * 1024, 1024 * 1024);
      expect(await reader.sha256(data.length)).toBe(sha(data));
    } finally {
      await reader.close();
    }
  });

  it('reports a file that shrank as a short read', async () => {
    const file = join(dir, 'c.bin');
    writeFileSync(file, randomBytes(8192));
    const reader = openChunkReader(file, { sha256: true });
    try {
      await reader.hash(0, 4096);
      truncateSync(file, 5000);
      const err = await reader.hash(4096, 4096).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChunkReadError);
      expect((err as ChunkReadError).reason).toBe('short-read');
    } finally {
      await reader.close();
    }
  });

  it('reports a missing file as an I/O error', async () => {
    const reader = openChunkReader(join(dir, 'missing.bin'), { sha256: false });
    const err = await reader.hash(0, 10).catch((e: unknown) => e);
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
        void openChunkReader(file, { sha256: false }).close();
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
