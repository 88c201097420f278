import { basename } from 'node:path';
import { FirmdropError } from '../core/errors';
import { openChunkReader } from './chunk-reader';

/**
 * The SHA-256 of a whole file, read on the chunk reader's worker thread (the caller's event loop
 * never sees the bytes). An abort ends the worker at once;
 * the promise then rejects with a `cancelled` error.
 */
export async function hashFile(path: string, size: number, signal?: AbortSignal): Promise<string> {
  const reader = openChunkReader(path, { sha256: true });
  // Closed once, by whichever comes first: the abort or the end.
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= reader.close());
  const stop = () => void close();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    if (signal?.aborted) throw cancelled(path);
    // The worker reads the file itself; an abort closes the reader, which ends the worker.
    const digest = await reader.sha256(size);
    // Closing may let the worker finish its pass: an abort still means no answer.
    if (signal?.aborted) throw cancelled(path);
    return digest;
  } catch (err) {
    if (signal?.aborted) throw cancelled(path);
    throw new FirmdropError(
      'file-unreadable',
      `Reading ${basename(path)} failed: ${(err as Error).message}. Check the file and retry.`,
      { cause: err },
    );
  } finally {
    signal?.removeEventListener('abort', stop);
    await close();
  }
}

function cancelled(path: string): FirmdropError {
  return new FirmdropError('cancelled', `Hashing ${basename(path)} was stopped.`);
}
