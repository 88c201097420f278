import type { FirmdropError } from '../core/errors';
import type { UploadState } from '../core/upload-state';
import type { DmClient } from '../dm/client';
import type { Store, Upload } from '../store';

export interface EngineSettings {
  /** Bytes per data chunk (5–100 MiB). */
  chunkSize: number;
  /** Files at or under this many bytes go by one multipart POST. */
  smallThreshold: number;
  /** Uploads that move at the same time (chunks of one job are always sequential). */
  filesAtOnce: number;
  /** Keep the upload job on the server after its image is verified. */
  keepCompletedJobs: boolean;
  /** Failed attempts in a row, without progress, before an upload stops as "failed — retry". */
  maxAttempts: number;
  /** Stop waiting for the network after this long (null: wait for as long as it takes). */
  offlineGiveUpMs: number | null;
}

export interface EngineDeps {
  store: Store;
  /** A client for the account, with its key fetched by the caller (the engine never sees keys). */
  client(accountId: string): Promise<DmClient>;
  settings(): EngineSettings;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** What the engine tells its listeners about an upload, a few times a second at most. */
export interface UploadSnapshot {
  upload: Upload;
  phase: UploadState;
  bytesAcked: number;
  totalBytes: number;
  speed: number | null;
  etaSeconds: number | null;
  chunk: { current: number; total: number } | null;
  /** A transient trouble being waited out (the upload goes on by itself), or the final error. */
  problem: FirmdropError | null;
}

export interface EngineEvents {
  changed(snapshot: UploadSnapshot): void;
  /** Something the user should know that is not an error: a job restarted, a file re-read. */
  notice(uploadId: string, message: string): void;
}

/** Why an upload's work was stopped from outside. */
export type StopReason = 'pause' | 'cancel' | 'shutdown';

export class UploadStopped extends Error {
  override name = 'UploadStopped';
  constructor(readonly reason: StopReason) {
    super(`upload stopped: ${reason}`);
  }
}
