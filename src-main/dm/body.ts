import { Readable } from 'node:stream';
import { FirmdropError } from '../core/errors';
import type { BodyProgress } from './network-errors';

/** A request body of known, exact length, sent with Content-Length (never chunked encoding). */
export interface OutgoingBody {
  /** Produces exactly `length` bytes, once. */
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  length: number;
}

export type ProgressFn = (sentBytes: number, totalBytes: number) => void;

// Buffers are handed to the socket in slices so that progress and the "how much was sent" count
// mean something (and so the engine can see a partial send) without copying anything.
const SLICE = 64 * 1024;

export function* slices(buf: Uint8Array): Generator<Uint8Array> {
  for (let at = 0; at < buf.byteLength; at += SLICE) {
    yield buf.subarray(at, Math.min(at + SLICE, buf.byteLength));
  }
}

function lengthChanged(expected: number, got: string): FirmdropError {
  return new FirmdropError(
    'file-changed',
    `The data changed while it was being sent (expected ${expected} bytes, ${got}). ` +
      'Make sure nothing writes to the file during the upload, then start it again.',
  );
}

/**
 * Wraps a body source in a Readable that counts what has been handed to the transport, reports
 * progress, and fails the request if the source yields more or fewer bytes than announced.
 */
export function meteredStream(
  body: OutgoingBody,
  onProgress?: ProgressFn,
): { stream: Readable; progress: BodyProgress } {
  const progress: BodyProgress = { consumed: 0, total: body.length };
  async function* run(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body.source) {
      if (progress.consumed + chunk.byteLength > body.length) {
        throw lengthChanged(body.length, 'got more');
      }
      progress.consumed += chunk.byteLength;
      yield chunk;
      onProgress?.(progress.consumed, body.length);
    }
    if (progress.consumed !== body.length) {
      throw lengthChanged(body.length, `got ${progress.consumed}`);
    }
  }
  return { stream: Readable.from(run(), { objectMode: false }), progress };
}
