/**
 * The chunk hasher's worker thread (started by chunk-reader.ts, which documents the contract):
 * computes each chunk's MD5 (for its Content-MD5) and, in one worker per source, the file's
 * running SHA-256, reading through one small buffer. It never hands bytes back: the engine
 * streams each chunk's body from the file itself (page cache), so memory does not grow with the
 * chunk. Built as its own entry beside each bundle (out/main/chunk-worker.js,
 * out/cli/chunk-worker.cjs); it imports nothing but Node built-ins and the protocol's types.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type {
  ChunkWorkerData,
  ChunkWorkerReply,
  ChunkWorkerRequest,
} from './chunk-worker-protocol';

// 1 MiB per read: large enough that syscalls cost nothing next to hashing, small enough that
// the worker's memory is the same for a 5 MiB chunk and a 100 MiB one.
const BLOCK = 1024 * 1024;

if (!parentPort) throw new Error('chunk-worker must run as a worker thread (see chunk-reader.ts)');
const port: MessagePort = parentPort;
const data = workerData as ChunkWorkerData;

// Opened at start-up: a missing or unreadable file fails the worker itself, which the reader
// reports as an I/O error on the first call.
const fd = openSync(data.path, 'r');
const sha: Hash | null = data.sha256 ? createHash('sha256') : null;
const buf = Buffer.allocUnsafeSlow(BLOCK);
/** How many bytes from 0 the SHA-256 has taken in. */
let shaAt = 0;

function reply(msg: ChunkWorkerReply): void {
  port.postMessage(msg);
}

/** Feeds [offset, offset + n) of `buf` to the SHA-256, skipping what it already holds. */
function feedSha(offset: number, n: number): void {
  if (!sha || offset + n <= shaAt) return;
  const skip = Math.max(0, shaAt - offset);
  sha.update(buf.subarray(skip, n));
  shaAt = offset + n;
}

/** Reads [offset, end) block by block; returns the bytes read (short when the file ended). */
function pass(offset: number, end: number, onBlock: (n: number) => void): number {
  let at = offset;
  while (at < end) {
    const want = Math.min(BLOCK, end - at);
    let got = 0;
    while (got < want) {
      const n = readSync(fd, buf, got, want - got, at + got);
      if (n === 0) break;
      got += n;
    }
    feedSha(at, got);
    onBlock(got);
    at += got;
    if (got < want) break;
  }
  return at - offset;
}

/** Carries the SHA-256 up to `offset` when a range starts beyond it. Returns false if the file ended. */
function catchUp(offset: number): boolean {
  if (!sha || shaAt >= offset) return true;
  const from = shaAt;
  return pass(from, offset, () => undefined) === offset - from;
}

function hash(id: number, offset: number, length: number): void {
  if (!catchUp(offset)) return reply({ id, kind: 'short-read', got: shaAt - offset });
  const md5 = createHash('md5');
  const got = pass(offset, offset + length, (n) => md5.update(buf.subarray(0, n)));
  if (got !== length) return reply({ id, kind: 'short-read', got });
  const digest = md5.digest();
  reply({
    id,
    kind: 'hashed',
    md5Hex: digest.toString('hex'),
    md5Base64: digest.toString('base64'),
  });
}

function sha256(id: number, end: number): void {
  if (!sha) throw new Error('this worker keeps no SHA-256');
  if (shaAt > end) throw new Error(`the SHA-256 already covers ${shaAt} bytes, past ${end}`);
  if (!catchUp(end)) return reply({ id, kind: 'short-read', got: shaAt });
  // copy(): the running hash may go on.
  reply({ id, kind: 'sha256', sha256: sha.copy().digest('hex') });
}

function handle(msg: ChunkWorkerRequest): void {
  switch (msg.op) {
    case 'hash':
      return hash(msg.id, msg.offset, msg.length);
    case 'sha256':
      return sha256(msg.id, msg.end);
    case 'close':
      closeSync(fd);
      return reply({ id: msg.id, kind: 'closed' });
  }
}

port.on('message', (msg: ChunkWorkerRequest) => {
  try {
    handle(msg);
  } catch (err) {
    const e = err as NodeJS.ErrnoException | undefined;
    reply({ id: msg.id, kind: 'io-error', code: e?.code, message: String(e?.message) });
  }
});
