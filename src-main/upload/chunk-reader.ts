import { Worker } from 'node:worker_threads';

/** One chunk read from disk, with its MD5 (for Content-MD5 and the journal). */
export interface ReadChunk {
  offset: number;
  bytes: Buffer;
  md5Hex: string;
  md5Base64: string;
}

/**
 * Reads a file's chunks in order on a worker thread, hashing each (MD5) and the whole file
 * (SHA-256) in the same pass, so the engine's event loop only sends bytes. Reads must be
 * sequential and contiguous from offset 0: that is what makes the SHA-256 of the file fall out
 * of the pass for free, and resume re-reads the acknowledged prefix anyway to check its MD5s.
 */
export interface ChunkReader {
  read(offset: number, length: number): Promise<ReadChunk>;
  /**
   * Hands a chunk's memory back for the next read (it must not be used afterwards): with a few
   * buffers going round, a whole upload allocates almost nothing, so the garbage collector stays
   * quiet and memory stays at a few chunks whatever the file size.
   */
  recycle(bytes: Buffer): void;
  /** SHA-256 hex of every byte read so far; call after the last chunk for the file's digest. */
  sha256(): Promise<string>;
  close(): Promise<void>;
}

// The worker is a short plain-JS program run with `eval: true`: one code path works from the
// TypeScript sources under vitest, from the CLI bundle and from Electron's main bundle, with no
// extra build entry to keep in step. Its buffers are transferred, never copied.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
const fd = fs.openSync(workerData.path, 'r');
const sha = crypto.createHash('sha256');
const pool = [];
let next = 0;
parentPort.on('message', (msg) => {
  try {
    if (msg.op === 'read') {
      if (msg.offset !== next) throw new Error('reads must be contiguous: expected offset ' + next + ', got ' + msg.offset);
      const reuse = pool.findIndex((b) => b.byteLength === msg.length);
      const buf = reuse >= 0 ? Buffer.from(pool.splice(reuse, 1)[0]) : Buffer.allocUnsafeSlow(msg.length);
      let got = 0;
      while (got < msg.length) {
        const n = fs.readSync(fd, buf, got, msg.length - got, msg.offset + got);
        if (n === 0) break;
        got += n;
      }
      if (got !== msg.length) {
        parentPort.postMessage({ id: msg.id, error: 'short-read', got });
        return;
      }
      sha.update(buf);
      next += got;
      const md5 = crypto.createHash('md5').update(buf).digest();
      const ab = buf.buffer;
      parentPort.postMessage({ id: msg.id, ab, md5: md5.toString('hex'), md5b64: md5.toString('base64') }, [ab]);
    } else if (msg.op === 'recycle') {
      if (pool.length < 3) pool.push(msg.ab);
    } else if (msg.op === 'sha256') {
      parentPort.postMessage({ id: msg.id, sha256: sha.copy().digest('hex') });
    } else if (msg.op === 'close') {
      fs.closeSync(fd);
      parentPort.postMessage({ id: msg.id, closed: true });
    }
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: 'io', code: err && err.code, message: String(err && err.message) });
  }
});
`;

interface WorkerReply {
  id: number;
  error?: 'short-read' | 'io';
  got?: number;
  code?: string;
  message?: string;
  ab?: ArrayBuffer;
  md5?: string;
  md5b64?: string;
  sha256?: string;
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

export function openChunkReader(path: string): ChunkReader {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
  const pending = new Map<
    number,
    { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }
  >();
  let seq = 0;
  let failure: Error | null = null;

  const failAll = (err: Error): void => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (reply: WorkerReply) => {
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    p?.resolve(reply);
  });
  worker.on('error', (err) =>
    failAll(new ChunkReadError('io', `Reading ${path} failed: ${err.message}`)),
  );
  worker.on('exit', () => failAll(new ChunkReadError('io', `The reader for ${path} stopped`)));

  const call = (msg: Record<string, unknown>): Promise<WorkerReply> => {
    if (failure) return Promise.reject(failure);
    const id = ++seq;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id });
    });
  };

  return {
    async read(offset, length) {
      const r = await call({ op: 'read', offset, length });
      if (r.error === 'short-read') {
        throw new ChunkReadError(
          'short-read',
          `${path} ended after ${offset + (r.got ?? 0)} bytes; expected at least ${offset + length}`,
        );
      }
      if (r.error) throw new ChunkReadError('io', `Reading ${path} failed: ${r.message}`, r.code);
      return {
        offset,
        bytes: Buffer.from(r.ab as ArrayBuffer),
        md5Hex: r.md5 as string,
        md5Base64: r.md5b64 as string,
      };
    },
    recycle(bytes) {
      const ab = bytes.buffer;
      // Only whole buffers that came from the worker; anything else is left to the collector.
      if (failure || bytes.byteOffset !== 0 || ab.byteLength !== bytes.length) return;
      if (!(ab instanceof ArrayBuffer)) return;
      worker.postMessage({ op: 'recycle', ab }, [ab]);
    },
    async sha256() {
      const r = await call({ op: 'sha256' });
      if (r.error) throw new ChunkReadError('io', `Hashing ${path} failed: ${r.message}`, r.code);
      return r.sha256 as string;
    },
    async close() {
      if (!failure) await call({ op: 'close' }).catch(() => undefined);
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
