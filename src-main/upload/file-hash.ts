import { basename } from 'node:path';
import { FirmdropError } from '../core/errors';
import { MiB } from '../core/limits';
import { openChunkReader } from './chunk-reader';

const HASH_SLICE = 8 * MiB;

/**
 * The SHA-256 of a whole file, read on the chunk reader's worker thread (so the caller's event
 * loop only passes buffers along). An abort stops it between slices and ends the worker at once;
 * the promise then rejects with a `cancelled` error.
 */
export async function hashFile(path: string, size: number, signal?: AbortSignal): Promise<string> {
  const reader = openChunkReader(path);
  // Closed once, by whichever comes first: the abort or the end.
  let closing: Promise<void> | null = null;
  const close = () => (closing ??= reader.close());
  const stop = () => void close();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for (let offset = 0; offset < size; offset += HASH_SLICE) {
      if (signal?.aborted) break;
      reader.recycle((await reader.read(offset, Math.min(HASH_SLICE, size - offset))).bytes);
    }
    if (signal?.aborted) throw cancelled(path);
    return await reader.sha256();
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
