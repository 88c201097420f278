/**
 * The messages between the chunk reader (chunk-reader.ts, on the engine's thread) and its worker
 * (chunk-worker.ts). Types only: both sides import it, so a change to one side that the other does
 * not follow fails `npm run typecheck` instead of surfacing as `undefined` at run time.
 */

/** What the worker is started with (`workerData`). */
export interface ChunkWorkerData {
  /** The file to read, opened once for the whole pass. */
  path: string;
}

/** A request that gets exactly one reply carrying the same `id`. */
export type ChunkWorkerCall =
  { op: 'read'; offset: number; length: number } | { op: 'sha256' } | { op: 'close' };

export type ChunkWorkerRequest =
  | (ChunkWorkerCall & { id: number })
  // Fire and forget: hands a chunk's memory back (transferred) for a later read of the same size.
  | { op: 'recycle'; ab: ArrayBuffer };

export type ChunkWorkerReply =
  // `ab` is transferred, not copied: the chunk's bytes, with their MD5 for Content-MD5 and the journal.
  | { id: number; kind: 'chunk'; ab: ArrayBuffer; md5Hex: string; md5Base64: string }
  | { id: number; kind: 'sha256'; sha256: string }
  | { id: number; kind: 'closed' }
  // The file ended before the requested range did (it shrank since the plan was made).
  | { id: number; kind: 'short-read'; got: number }
  | { id: number; kind: 'io-error'; code: string | undefined; message: string };
