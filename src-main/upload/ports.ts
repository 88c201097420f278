import type { Disposable } from '../core/event';
import type { DmClient } from '../dm/client';
import type { Store, Upload, UploadChunk, UploadPatch, ChunkPlan } from '../store';

/**
 * The only ways an upload run touches the world: the journal operations it uses, the service
 * calls it makes, and time. Narrow on purpose: a test drives a run with a fake clock and the
 * real journal and sandbox, and the run cannot reach past these into the rest of the app.
 */

/** Time, injected: no Date.now() or timer inside the engine bypasses it. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` every `ms` until disposed (the lease heartbeat). */
  every(ms: number, fn: () => void): Disposable;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    // A heartbeat must never keep a finished CLI run alive.
    timer.unref();
    return { dispose: () => clearInterval(timer) };
  },
};

/** The journal operations one run uses, all on its own upload. */
export interface UploadJournal {
  get(id: string): Upload | undefined;
  update(id: string, patch: UploadPatch): Upload;
  setJob(id: string, jobId: string | null): Upload;
  listChunks(id: string): UploadChunk[];
  journalChunk(id: string, plan: ChunkPlan): void;
  /** Returns the upload's bytes acknowledged after this chunk. */
  ackChunk(id: string, idx: number, serverChunkId: number): number;
  resetChunks(id: string): void;
  /** Several of the above as one write transaction. */
  transaction<T>(fn: () => T): T;
}

export function journalOf(store: Store): UploadJournal {
  const u = store.uploads;
  return {
    get: (id) => u.getUpload(id),
    update: (id, patch) => u.updateUpload(id, patch),
    setJob: (id, jobId) => u.setJob(id, jobId),
    listChunks: (id) => u.listChunks(id),
    journalChunk: (id, plan) => void u.journalChunk(id, plan),
    ackChunk: (id, idx, serverChunkId) => u.ackChunk(id, idx, serverChunkId),
    resetChunks: (id) => u.resetChunks(id),
    transaction: (fn) => store.transaction(fn),
  };
}

/**
 * The service calls of one upload: the account's quota, names in use, the small POST, the job's
 * life (create, read, chunks, complete, delete) and the image it makes. DmClient has them all.
 */
export type UploadService = Pick<
  DmClient,
  | 'host'
  | 'getMyAccount'
  | 'countImages'
  | 'listImages'
  | 'getImage'
  | 'createImageSmall'
  | 'listUploadJobs'
  | 'createUploadJob'
  | 'getUploadJob'
  | 'deleteUploadJob'
  | 'listChunks'
  | 'appendChunk'
  | 'completeUploadJob'
> &
  // Optional: a service that cannot say leaves the first chunk at the service's minimum.
  Partial<Pick<DmClient, 'roundTripMs'>>;

/** What the user set, as the engine reads it (bytes, not MiB). */
export interface EngineSettings {
  /** Bytes per data chunk (5–100 MiB); null: adapt each chunk's size to the link. */
  chunkSize: number | null;
  /** Upload bandwidth cap for all uploads together, bytes per second; null: none. */
  limitRate?: number | null;
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
