import type { FirmdropError } from '../core/errors';
import type { ChunkProgress } from '../core/progress';
import type { UploadState } from '../core/upload-state';
import type { Store, Upload } from '../store';
import type { OpenChunkReader } from './chunk-reader';
import type { OwnerKind } from './ownership';
import type { Clock, EngineSettings, UploadService } from './ports';

export type { EngineSettings } from './ports';

/** A chunk about to go out, and how many the file makes (an estimate while sizes adapt). */
export interface ChunkPosition {
  current: number;
  total: number;
  estimated: boolean;
}

export interface EngineDeps {
  store: Store;
  /** The service for the account, with its key fetched by the caller (the engine never sees keys). */
  client(accountId: string): Promise<UploadService>;
  settings(): EngineSettings;
  clock?: Clock;
  random?: () => number;
  /** How chunk sources open their hashers (default: the worker thread; a test may wrap it). */
  openReader?: OpenChunkReader;
  /** Who this engine is, as other processes sharing the journal see it. Default 'app'. */
  kind?: OwnerKind;
}

/** What the engine tells its listeners about an upload, a few times a second at most. */
export interface UploadSnapshot {
  upload: Upload;
  phase: UploadState;
  /** Bytes the server acknowledged: the journal's truth. */
  bytesAcked: number;
  /** Bytes on the wire: acknowledged plus the current request's body handed to the socket. */
  bytesSent: number;
  totalBytes: number;
  speed: number | null;
  etaSeconds: number | null;
  chunk: ChunkProgress | null;
  /** A transient trouble being waited out (the upload goes on by itself), or the final error. */
  problem: FirmdropError | null;
  /** When the upload tries again by itself (ms since the epoch), while it waits. */
  retryAt: number | null;
}

/**
 * Why an upload's work was stopped from outside: the user, the engine shutting down, or `lost`:
 * another process took the upload over (this one slept past its lease) and now owns the row.
 */
export type StopReason = 'pause' | 'cancel' | 'shutdown' | 'lost';

export class UploadStopped extends Error {
  override name = 'UploadStopped';
  constructor(readonly reason: StopReason) {
    super(`upload stopped: ${reason}`);
  }
}
