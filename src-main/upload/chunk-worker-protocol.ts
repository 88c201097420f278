/**
 * The messages between the chunk hasher (chunk-reader.ts, on the engine's thread) and its worker
 * (chunk-worker.ts). Types only: both sides import it, so a change to one side that the other does
 * not follow fails `npm run typecheck` instead of surfacing as `undefined` at run time.
 */

/** What the worker is started with (`workerData`). */
export interface ChunkWorkerData {
  /** The file to read, opened once for the whole pass. */
  path: string;
  /** Whether this worker also keeps the file's running SHA-256 (one worker per source does). */
  sha256: boolean;
}

/** A request that gets exactly one reply carrying the same `id`. */
export type ChunkWorkerCall =
  /** The MD5 of a range; the running SHA-256 (if kept) is carried up to the range's end. */
  | { op: 'hash'; offset: number; length: number }
  /** The SHA-256 of the file's first `end` bytes (reading whatever it has not hashed yet). */
  | { op: 'sha256'; end: number }
  | { op: 'close' };

export type ChunkWorkerRequest = ChunkWorkerCall & { id: number };

export type ChunkWorkerReply =
  | { id: number; kind: 'hashed'; md5Hex: string; md5Base64: string }
  | { id: number; kind: 'sha256'; sha256: string }
  | { id: number; kind: 'closed' }
  // The file ended before the requested range did (it shrank since the plan was made).
  | { id: number; kind: 'short-read'; got: number }
  | { id: number; kind: 'io-error'; code: string | undefined; message: string };
