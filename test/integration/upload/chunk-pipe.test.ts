import { appendFileSync, closeSync, openSync, statSync, utimesSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { whenFired } from '../../../src-main/core/event';
import { MiB } from '../../../src-main/core/limits';
import { openChunkReader, type OpenChunkReader } from '../../../src-main/upload/chunk-reader';
import type { UploadEngine } from '../../../src-main/upload/engine';
import type { UploadSnapshot } from '../../../src-main/upload/types';
import { engineHarness, serverState, type EngineHarness } from '../../helpers/engine-harness';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const download = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

function when(
  engine: UploadEngine,
  id: string,
  test: (s: UploadSnapshot) => boolean,
): Promise<UploadSnapshot> {
  return whenFired(engine.onDidChange, (s) => s.upload.id === id && test(s));
}

/** The snapshot that reports chunk `k` acknowledged (and the next not yet started). */
const acked = (k: number) => (s: UploadSnapshot) =>
  s.chunk?.current === k && s.chunk.sending === null;

describe('the chunk path', () => {
  it('adapts chunk sizes to the link, journals each size, and verifies', async () => {
    // A link with an idle round trip per request: the sizer must grow the chunks.
    h = await engineHarness({ settings: { chunkSize: null } });
    h.sandbox.faults.setLatency(50);
    h.sandbox.faults.setBandwidth(40 * MiB);
    const { path, data } = h.file('adapt.bin', 72 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-adapt' });
    expect(u.chunkSize).toBeNull();
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    const done = h.store.uploads.getUpload(u.id)!;
    expect(done).toMatchObject({ state: 'done', verified: true });
    expect((await download(done.datafileUrl!)).equals(data)).toBe(true);
    const sizes = h.store.uploads.listChunks(u.id).map((c) => c.length);
    // The pre-flight measured the 50 ms round trip (its requests' time halved: each waited for
    // a new connection's TCP handshake): the first chunk is what hashes within it at the assumed
    // 200 MiB/s (10 MiB), not the 5 MiB minimum; then the chunks grow.
    // (At most the 20 MiB cap: a loaded machine lengthens what the client measures.)
    expect(sizes[0]).toBeGreaterThanOrEqual(8 * MiB);
    expect(sizes[0]).toBeLessThanOrEqual(20 * MiB);
    expect(Math.max(...sizes)).toBeGreaterThan(sizes[0]!);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(72 * MiB);
    expect(h.sandbox.stats().chunksAppended).toBe(sizes.length);
    // The UI and the CLI were told n is an estimate while the sizes moved.
    expect(h.events.some((s) => s.chunk?.estimated === true)).toBe(true);
  });

  it('a fixed chunk size (--chunk-size, the setting) is kept for every chunk', async () => {
    h = await engineHarness({ settings: { chunkSize: null } });
    h.sandbox.faults.setLatency(40);
    const { path } = h.file('fixed.bin', 23 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-fixed', chunkSize: 6 * MiB });
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    expect(h.store.uploads.getUpload(u.id)!.state).toBe('done');
    const sizes = h.store.uploads.listChunks(u.id).map((c) => c.length);
    expect(sizes).toEqual([6, 6, 6, 5].map((n) => n * MiB));
    expect(h.events.some((s) => s.chunk?.estimated === true)).toBe(false);
  });

  it('a file that grows mid-upload is stopped at the next chunk, saying what changed', async () => {
    h = await engineHarness();
    h.sandbox.faults.setBandwidth(20 * MiB);
    const { path } = h.file('grow.bin', 20 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-grow' });
    let grown = false;
    // Synchronously inside the event: the engine's next step is the next chunk's check.
    h.engine.onDidChange((s) => {
      if (!grown && s.upload.id === u.id && acked(1)(s)) {
        grown = true;
        appendFileSync(path, randomBytes(3 * MiB));
      }
    });
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    const row = h.store.uploads.getUpload(u.id)!;
    expect(row.state).toBe('failed');
    expect(row.errorCode).toBe('file-changed');
    expect(row.errorMessage).toMatch(
      /^grow\.bin grew from 20\.0 MiB to 23\.0 MiB during the upload \(modified at \d\d:\d\d:\d\d\)\./,
    );
    expect(h.sandbox.stats().chunksAppended).toBe(1);
  });

  it('a file touched mid-upload (same size) is stopped at the next chunk, and the message says the size is unchanged', async () => {
    h = await engineHarness();
    const { path } = h.file('touch.bin', 20 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-touch' });
    let touched = false;
    h.engine.onDidChange((s) => {
      if (!touched && s.upload.id === u.id && acked(2)(s)) {
        touched = true;
        const later = new Date(statSync(path).mtimeMs + 60_000);
        utimesSync(path, later, later);
      }
    });
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    const row = h.store.uploads.getUpload(u.id)!;
    expect(row.errorMessage).toMatch(
      /^touch\.bin was modified at \d\d:\d\d:\d\d during the upload \(its size is unchanged\)\./,
    );
    expect(row.errorMessage).not.toMatch(/20971520/);
    expect(h.sandbox.stats().chunksAppended).toBe(2);
  });

  it('bytes changed after a chunk was hashed (size and time kept) fail that chunk before the server stores it', async () => {
    h = await engineHarness();
    const { path } = h.file('swap.bin', 15 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-swap' });
    let swapped = false;
    h.engine.onDidChange((s) => {
      // Chunk 2 is hashed and journaled; its body has not been read yet.
      if (!swapped && s.upload.id === u.id && s.chunk?.sending === 2) {
        swapped = true;
        const { atime, mtime } = statSync(path);
        const fd = openSync(path, 'r+');
        writeSync(fd, randomBytes(4096), 0, 4096, 6 * MiB);
        closeSync(fd);
        utimesSync(path, atime, mtime);
      }
    });
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    const row = h.store.uploads.getUpload(u.id)!;
    expect(row.errorCode).toBe('file-changed');
    expect(row.errorMessage).toMatch(/swap\.bin changed while chunk 2 was being sent/);
    expect(h.sandbox.stats().chunksAppended).toBe(1);
  });

  it('a resume sends its first POST before the check of the acknowledged prefix ends; completion waits for it', async () => {
    // The prefix checker is the reader that keeps the SHA-256 on a resume: while armed, its
    // digest waits until the test lets it go, and says when it was reached.
    const hold = {
      armed: false,
      reached: () => undefined as void,
      release: () => undefined as void,
    };
    const reached = new Promise<void>((r) => (hold.reached = r));
    const released = new Promise<void>((r) => (hold.release = r));
    const openReader: OpenChunkReader = (path, options) => {
      const reader = openChunkReader(path, options);
      return {
        ...reader,
        async sha256(end) {
          if (hold.armed) {
            hold.reached();
            await released;
          }
          return reader.sha256(end);
        },
      };
    };
    h = await engineHarness({ openReader });
    h.sandbox.faults.setBandwidth(20 * MiB);
    const { path, data } = h.file('resume.bin', 22 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-resume' });
    h.engine.enqueue(u.id);
    await when(h.engine, u.id, acked(2));
    await h.engine.shutdown();
    expect(h.store.uploads.getUpload(u.id)!.state).toBe('interrupted');
    h.sandbox.faults.setBandwidth(null);

    hold.armed = true;
    const engine = h.restartEngine();
    engine.recover();
    engine.resume(u.id);
    // Chunks 3…5 go out and are acknowledged while the check of chunks 1–2 cannot finish…
    await when(engine, u.id, (s) => s.chunk?.current === 5);
    await reached;
    // …and the completion does not go out before the check is done.
    expect(h.store.uploads.getUpload(u.id)!.completeSentAt).toBeNull();
    expect(h.sandbox.stats().jobsCompleted).toBe(0);
    hold.release();
    await engine.whenIdle();
    const done = h.store.uploads.getUpload(u.id)!;
    expect(done).toMatchObject({ state: 'done', verified: true });
    expect((await download(done.datafileUrl!)).equals(data)).toBe(true);
    expect(h.sandbox.stats().chunksAppended).toBe(5);
  });

  it('a run stopped mid-upload with adaptive, mixed sizes resumes without appending anything twice', async () => {
    h = await engineHarness({ settings: { chunkSize: null } });
    h.sandbox.faults.setLatency(40);
    h.sandbox.faults.setBandwidth(30 * MiB);
    const { path, data } = h.file('mixed.bin', 80 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-mixed' });
    h.engine.enqueue(u.id);
    await when(h.engine, u.id, acked(2));
    // Stops with chunk 3 (planned from the link) in flight: it may or may not land.
    await h.engine.shutdown();
    await h.sandbox.settled();
    const before = h.store.uploads.listChunks(u.id).map((c) => c.length);
    expect(new Set(before).size).toBeGreaterThan(1);
    h.sandbox.faults.setLatency(0);
    h.sandbox.faults.setBandwidth(null);
    const engine = h.restartEngine();
    engine.recover();
    engine.resume(u.id);
    await engine.whenIdle();
    const done = h.store.uploads.getUpload(u.id)!;
    expect(done).toMatchObject({ state: 'done', verified: true });
    expect((await download(done.datafileUrl!)).equals(data)).toBe(true);
    const rows = h.store.uploads.listChunks(u.id);
    expect(rows.reduce((a, c) => a + c.length, 0)).toBe(80 * MiB);
    expect(h.sandbox.stats().chunksAppended).toBe(rows.length);
    expect(await serverState(h.dm)).toEqual({ images: 1, openJobs: 0 });
  });
});
