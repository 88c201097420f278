import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { FirmdropError } from '../core/errors';
import { describeBytesChanged } from '../core/file-change';
import { directBlocks, type BlockReader } from './block-cache';
import { ChunkReadError, type HashedChunk } from './chunk-reader';
import type { BandwidthLimiter } from './rate-gate';

// Read 256 KiB at a time (few syscalls), hand the socket 64 KiB at a time: progress and the
// bandwidth cap then move in small steps even on a slow link, and memory stays at about one read
// plus the socket's buffer whatever the chunk size.
const READ = 256 * 1024;
const SLICE = 64 * 1024;

export interface ChunkBodyOptions {
  path: string;
  index: number;
  chunk: HashedChunk;
  limiter: BandwidthLimiter;
  signal?: AbortSignal;
  /** Where the blocks come from: the file (default), or a fan-out's cache shared by its targets. */
  blocks?: BlockReader | undefined;
}

/**
 * A chunk's body streamed from the file (the page cache, usually: the hash pass just read it).
 * The bytes are hashed again as they go: if they no longer match the MD5 of the hash pass, the
 * file changed in between, and the stream fails *before its last block*, so the request never
 * completes and the server never stores the chunk.
 */
export function chunkBody(o: ChunkBodyOptions): {
  stream: AsyncIterable<Uint8Array>;
  length: number;
} {
  return { stream: stream(o), length: o.chunk.length };
}

async function* stream(o: ChunkBodyOptions): AsyncGenerator<Uint8Array> {
  const { offset, length } = o.chunk;
  const md5 = createHash('md5');
  const file = await open(o.path, 'r');
  try {
    for (let at = 0; at < length;) {
      const want = Math.min(READ, length - at);
      const buf = await (o.blocks ?? directBlocks).read(file, offset + at, want);
      const got = buf.length;
      if (got < want) {
        throw new ChunkReadError(
          'short-read',
          `${o.path} ended after ${offset + at + got} bytes; expected at least ${offset + length}`,
        );
      }
      md5.update(buf);
      at += got;
      if (at === length && md5.digest('hex') !== o.chunk.md5Hex) {
        throw new FirmdropError('file-changed', describeBytesChanged(basename(o.path), o.index));
      }
      for (let s = 0; s < got; s += SLICE) {
        const slice = buf.subarray(s, Math.min(s + SLICE, got));
        await o.limiter.take(slice.length, o.signal);
        yield slice;
      }
    }
  } finally {
    await file.close();
  }
}
