import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { FirmdropError } from '../core/errors';
import { describeBytesChanged } from '../core/file-change';
import { readInto, type BlockReader } from './block-cache';
import { ChunkReadError, type HashedChunk } from './chunk-reader';
import type { BandwidthLimiter } from './rate-gate';

// Read 256 KiB at a time (few syscalls), hand the socket 64 KiB at a time: progress and the
// bandwidth cap then move in small steps even on a slow link, and memory stays at a few reads
// whatever the chunk size.
const READ = 256 * 1024;
const SLICE = 64 * 1024;
const RING = 4;

/**
 * The read buffers that the bodies of one sender (one chunk at a time) go round. A fresh buffer
 * per read was garbage as soon as the socket took it, and V8 frees such buffers late (they live
 * outside its heap): ~36 MiB of them were waiting at the peak of a 256 MiB upload (heaptrack), a
 * third of the CLI's RSS. A ring per body still left ~22 MiB waiting with 5 MiB chunks, so the
 * ring outlives the body and its position carries on from one body to the next.
 *
 * Reuse is safe because a buffer is refilled only after RING - 1 further reads were handed on
 * (three slices at least, 768 KiB within a long body), and nothing between here and the kernel
 * holds more than two slices: undici writes each slice and waits for 'drain' before it asks for
 * the next (a 64 KiB slice fills a socket's high-water mark, 16 KiB in Node 20 and 64 KiB in 22,
 * so it always waits, and 'drain' comes once the socket has passed it all to the kernel; only a
 * body's last slice can be shorter), and the metering Readable in
 * dm/body.ts reads at most one slice ahead. A body cut short ends with its socket destroyed
 * (undici destroys it on an error, or on an answer that comes before the body is sent), which
 * drops any slice it still held. Should a transport ever keep more, the service would get bytes
 * that do not match the chunk's Content-MD5 and refuse the chunk: the file is never stored wrong.
 */
export class BodyBuffers {
  private readonly ring: Buffer[] = [];
  private at = 0;

  /** The buffer for the next read (up to READ bytes); allocated on first use. */
  next(): Buffer {
    const i = this.at;
    this.at = (i + 1) % RING;
    let buf = this.ring[i];
    if (!buf) {
      buf = Buffer.allocUnsafe(READ);
      this.ring[i] = buf;
    }
    return buf;
  }
}

export interface ChunkBodyOptions {
  path: string;
  index: number;
  chunk: HashedChunk;
  /** The sender's buffers; never shared by two bodies in flight at once. */
  buffers: BodyBuffers;
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
      // A fan-out's targets share blocks from its cache (never refilled); one upload alone reads
      // into its sender's ring.
      const buf = o.blocks
        ? await o.blocks.read(file, offset + at, want)
        : await readInto(file, o.buffers.next().subarray(0, want), offset + at);
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
