/**
 * The chunk reader's worker thread (started by chunk-reader.ts, which documents the contract):
 * reads one file's chunks in order, hashing each (MD5) and the whole pass (SHA-256), so the
 * engine's event loop only sends bytes. Built as its own entry beside each bundle
 * (out/main/chunk-worker.js, out/cli/chunk-worker.cjs); it imports nothing but Node built-ins and
 * the protocol's types, so that entry stays one small self-contained file.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type {
  ChunkWorkerData,
  ChunkWorkerReply,
  ChunkWorkerRequest,
} from './chunk-worker-protocol';

// The job path holds at most two chunks at once (one being sent, the next being read; see
// chunk-source.ts), so three buffers going round cover it with one spare; more would only keep
// memory the upload no longer needs.
const POOL_MAX = 3;

if (!parentPort) throw new Error('chunk-worker must run as a worker thread (see chunk-reader.ts)');
const port: MessagePort = parentPort;

// Opened at start-up: a missing or unreadable file fails the worker itself, which the reader
// reports as an I/O error on the first call.
const fd = openSync((workerData as ChunkWorkerData).path, 'r');
const sha = createHash('sha256');
const pool: ArrayBuffer[] = [];
// Reads must be contiguous from 0: that is what makes the SHA-256 of the file fall out of the pass.
let next = 0;

function reply(msg: ChunkWorkerReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

/** A recycled buffer of exactly this size if there is one, else fresh memory outside Node's pool. */
function takeBuffer(length: number): Buffer<ArrayBuffer> {
  const reuse = pool.findIndex((b) => b.byteLength === length);
  const ab = reuse >= 0 ? pool.splice(reuse, 1)[0] : undefined;
  // allocUnsafeSlow: a buffer that owns its whole ArrayBuffer, so it can be transferred.
  return ab ? Buffer.from(ab) : Buffer.allocUnsafeSlow(length);
}

function read(id: number, offset: number, length: number): void {
  if (offset !== next) {
    throw new Error(`reads must be contiguous: expected offset ${next}, got ${offset}`);
  }
  const buf = takeBuffer(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, offset + got);
    if (n === 0) break;
    got += n;
  }
  if (got !== length) return reply({ id, kind: 'short-read', got });
  sha.update(buf);
  next += got;
  const md5 = createHash('md5').update(buf).digest();
  const ab = buf.buffer;
  const [md5Hex, md5Base64] = [md5.toString('hex'), md5.toString('base64')];
  reply({ id, kind: 'chunk', ab, md5Hex, md5Base64 }, [ab]);
}

function handle(msg: ChunkWorkerRequest): void {
  switch (msg.op) {
    case 'read':
      return read(msg.id, msg.offset, msg.length);
    case 'recycle':
      if (pool.length < POOL_MAX) pool.push(msg.ab);
      return;
    case 'sha256':
      // copy(): the running hash goes on if more chunks follow.
      return reply({ id: msg.id, kind: 'sha256', sha256: sha.copy().digest('hex') });
    case 'close':
      closeSync(fd);
      return reply({ id: msg.id, kind: 'closed' });
  }
}

port.on('message', (msg: ChunkWorkerRequest) => {
  try {
    handle(msg);
  } catch (err) {
    // A recycle has nobody waiting for a reply; every other request does.
    if (msg.op === 'recycle') return;
    const e = err as NodeJS.ErrnoException | undefined;
    reply({ id: msg.id, kind: 'io-error', code: e?.code, message: String(e?.message) });
  }
});
