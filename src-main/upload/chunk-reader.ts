import { existsSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FirmdropError } from '../core/errors';
import type {
  ChunkWorkerCall,
  ChunkWorkerData,
  ChunkWorkerReply,
  ChunkWorkerRequest,
} from './chunk-worker-protocol';
import { restoreV8Flags } from './v8-flags';

/** One chunk's range and MD5 (for Content-MD5 and the journal); its bytes stay in the file. */
export interface HashedChunk {
  offset: number;
  length: number;
  md5Hex: string;
  md5Base64: string;
}

/**
 * Hashes a file's chunks on a worker thread: each chunk's MD5 and, when asked for, the whole
 * file's SHA-256 in the same pass, so the engine's event loop only sends bytes. Any range may be
 * hashed; the SHA-256 takes in each byte once, in order, reading a gap itself when a range starts
 * beyond what it holds. No chunk's bytes are held: the send pass streams them from the file.
 */
export interface ChunkReader {
  hash(offset: number, length: number): Promise<HashedChunk>;
  /** SHA-256 hex of the file's first `end` bytes (only for a reader opened with `sha256`). */
  sha256(end: number): Promise<string>;
  close(): Promise<void>;
}

/** Raised when the file no longer has the bytes the plan expects (it shrank or became unreadable). */
export class ChunkReadError extends Error {
  override name = 'ChunkReadError';
  constructor(
    readonly reason: 'short-read' | 'io',
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Names the built worker file to run instead of the one beside this bundle (tests set it). */
export const CHUNK_WORKER_ENV = 'FIRMDROP_CHUNK_WORKER';

/**
 * Where the worker's JavaScript is. chunk-worker.ts is built as its own entry beside each bundle
 * that contains this reader: out/main/chunk-worker.js beside Electron's main.js,
 * out/cli/chunk-worker.cjs beside firmdrop.cjs. So `__dirname` of the running bundle finds it,
 * inside app.asar too: Electron has loaded worker_threads scripts from asar since 18
 * (electron/electron#33216), so the packaged app needs no asarUnpack entry for it.
 * Code run from the TypeScript sources has no built worker beside it (and Node 20 cannot run a .ts
 * worker), so it names one in FIRMDROP_CHUNK_WORKER: vitest's global setup builds it
 * (test/setup/chunk-worker.ts); Playwright's setup and scripts/run-ts.mjs use the CLI build's.
 */
export function chunkWorkerPath(): string {
  let path = process.env[CHUNK_WORKER_ENV]?.trim() || undefined;
  // typeof: an ES module runner (Vite's, behind scripts/run-ts.mjs) defines no __dirname at all.
  if (!path && typeof __dirname === 'string') {
    // The bundle's own extension, never the .ts source beside us under vitest.
    path = join(__dirname, extname(__filename) === '.cjs' ? 'chunk-worker.cjs' : 'chunk-worker.js');
  }
  if (!path || !existsSync(path)) {
    // Without this check the Worker fails later with MODULE_NOT_FOUND, which the reader would
    // report as the firmware file being unreadable.
    const what = path
      ? `The file reader's worker ${path} is missing`
      : `The file reader's worker cannot be found (${CHUNK_WORKER_ENV} is not set)`;
    throw new FirmdropError(
      'internal',
      `${what}: this build of Firmdrop is incomplete. Rebuild it (npm run build).`,
    );
  }
  return path;
}

/** How a chunk source opens its hashers (the engine's default is the worker; tests may wrap it). */
export type OpenChunkReader = (path: string, options: { sha256: boolean }) => ChunkReader;

export function openChunkReader(path: string, options: { sha256: boolean }): ChunkReader {
  const workerData: ChunkWorkerData = { path, sha256: options.sha256 };
  const worker = new Worker(chunkWorkerPath(), { workerData });
  // The worker's thread, configuring its heap, undoes a V8 flag this process may have set on
  // itself (upload/v8-flags.ts); by 'online' it has.
  worker.once('online', restoreV8Flags);
  const pending = new Map<
    number,
    { resolve: (r: ChunkWorkerReply) => void; reject: (e: Error) => void }
  >();
  let seq = 0;
  let failure: Error | null = null;

  const failAll = (err: Error): void => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (reply: ChunkWorkerReply) => {
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    p?.resolve(reply);
  });
  worker.on('error', (err) =>
    failAll(new ChunkReadError('io', `Reading ${path} failed: ${err.message}`)),
  );
  worker.on('exit', () => failAll(new ChunkReadError('io', `The reader for ${path} stopped`)));

  const call = (msg: ChunkWorkerCall): Promise<ChunkWorkerReply> => {
    if (failure) return Promise.reject(failure);
    const id = ++seq;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      const request: ChunkWorkerRequest = { ...msg, id };
      worker.postMessage(request);
    });
  };
  /** An I/O error, or a reply of the wrong kind (a protocol bug), as a ChunkReadError. */
  const failed = (what: string, r: ChunkWorkerReply): ChunkReadError =>
    r.kind === 'io-error'
      ? new ChunkReadError('io', `${what} ${path} failed: ${r.message}`, r.code)
      : new ChunkReadError('io', `${what} ${path} failed: unexpected reply ${r.kind}`);
  const shortRead = (end: number, got: number) =>
    new ChunkReadError('short-read', `${path} ended after ${got} bytes; expected at least ${end}`);

  return {
    async hash(offset, length) {
      const r = await call({ op: 'hash', offset, length });
      if (r.kind === 'short-read') throw shortRead(offset + length, offset + r.got);
      if (r.kind !== 'hashed') throw failed('Reading', r);
      return { offset, length, md5Hex: r.md5Hex, md5Base64: r.md5Base64 };
    },
    async sha256(end) {
      const r = await call({ op: 'sha256', end });
      if (r.kind === 'short-read') throw shortRead(end, r.got);
      if (r.kind !== 'sha256') throw failed('Hashing', r);
      return r.sha256;
    },
    async close() {
      if (!failure) await call({ op: 'close' }).catch(() => undefined);
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
