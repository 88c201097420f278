import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BodyBuffers, chunkBody } from '../../../src-main/upload/chunk-body';
import { systemClock } from '../../../src-main/upload/ports';
import { BandwidthLimiter } from '../../../src-main/upload/rate-gate';

const dir = mkdtempSync(join(tmpdir(), 'firmdrop-body-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KiB = 1024;
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

/**
 * Streams bodies the way the transport does, but checks each slice only when it "leaves": a
 * slice is kept for `held` more slices first, as undici's socket (one slice until 'drain') and
 * the metering Readable (one slice of read-ahead) keep them. A buffer refilled too early shows up
 * as a slice whose bytes are no longer the file's.
 */
async function sendAll(
  file: Buffer,
  path: string,
  cuts: number[],
  buffers: BodyBuffers,
  held: number,
): Promise<Buffer> {
  const limiter = new BandwidthLimiter(systemClock, null);
  const left: Buffer[] = [];
  const inFlight: { slice: Uint8Array; copy: Buffer }[] = [];
  const leave = () => {
    const s = inFlight.shift()!;
    // What the socket would put on the wire now, against what it was given.
    expect(Buffer.from(s.slice).equals(s.copy)).toBe(true);
    left.push(s.copy);
  };
  let offset = 0;
  for (const [index, length] of cuts.entries()) {
    const chunk = file.subarray(offset, offset + length);
    const hashed = { offset, length, md5Hex: md5(chunk), md5Base64: '' };
    const body = chunkBody({ path, index, chunk: hashed, buffers, limiter });
    for await (const slice of body.stream) {
      inFlight.push({ slice, copy: Buffer.from(slice) });
      if (inFlight.length > held) leave();
    }
    offset += length;
  }
  while (inFlight.length) leave();
  return Buffer.concat(left);
}

describe('chunk bodies', () => {
  // Cuts that end mid-buffer, so the ring's position carries over from one body to the next, and
  // tiny bodies in a row: each takes a read (a buffer) of its own for a single slice.
  const cuts = [700 * KiB + 3, 5, 7, 9, 1 * KiB * KiB, 900 * KiB, 333 * KiB + 11];
  const size = cuts.reduce((a, b) => a + b, 0);
  const file = randomBytes(size);
  const path = join(dir, 'ring.bin');
  writeFileSync(path, file);

  it('stream the file’s bytes through one ring of buffers, body after body', async () => {
    const buffers = new BodyBuffers();
    // Two slices held, as undici and the metering stream hold them: every byte arrives intact.
    const sent = await sendAll(file, path, cuts, buffers, 2);
    expect(sent.equals(file)).toBe(true);
  });

  it('refill a buffer only after three more reads were handed on, so three slices may be held', async () => {
    // One slice more than the transport holds: the ring's margin, even where three one-slice
    // bodies follow each other.
    const sent = await sendAll(file, path, cuts, new BodyBuffers(), 3);
    expect(sent.equals(file)).toBe(true);
  });

  it('hand out each buffer again only after the other three', () => {
    const buffers = new BodyBuffers();
    const first = [0, 1, 2, 3].map(() => buffers.next());
    expect(new Set(first).size).toBe(4);
    // The fifth read reuses the first buffer, the sixth the second: round, never sooner.
    expect(buffers.next()).toBe(first[0]);
    expect(buffers.next()).toBe(first[1]);
  });
});
