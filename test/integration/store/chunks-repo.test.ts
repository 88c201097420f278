import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isFirmdropError } from '../../../src-main/core/errors';
import { openStore } from '../../../src-main/store';
import type { Store } from '../../../src-main/store';
import { sampleAccount, sampleUpload, steppingClock, useTempDir } from './temp-store';

const tmp = useTempDir();
const MiB = 1024 * 1024;
const md5 = (c: string) => c.repeat(32);

function withUpload(): { store: Store; uploadId: string } {
  const store = tmp.open({ now: steppingClock() });
  const accountId = store.accounts.create(sampleAccount).id;
  return { store, uploadId: store.uploads.createUpload(sampleUpload(accountId)).id };
}

describe('chunk journal', () => {
  it('journalChunk records an unacked chunk; listChunks returns them in index order', () => {
    const { store, uploadId } = withUpload();
    store.uploads.journalChunk(uploadId, {
      idx: 1,
      offset: 5 * MiB,
      length: 7 * MiB,
      md5: md5('b'),
    });
    const first = store.uploads.journalChunk(uploadId, {
      idx: 0,
      offset: 0,
      length: 5 * MiB,
      md5: 'A'.repeat(32), // stored lower-case
    });
    expect(first).toEqual({
      uploadId,
      idx: 0,
      offset: 0,
      length: 5 * MiB,
      md5: md5('a'),
      serverChunkId: null,
      acked: false,
      ackedAt: null,
    });
    expect(store.uploads.listChunks(uploadId).map((c) => c.idx)).toEqual([0, 1]);
  });

  it('is durable when the call returns: a second connection sees it at once', () => {
    const { store, uploadId } = withUpload();
    store.uploads.journalChunk(uploadId, { idx: 0, offset: 0, length: 1, md5: md5('c') });
    const reader = new Sqlite(store.file, { readonly: true });
    expect(reader.prepare('SELECT idx, acked FROM upload_chunks').all()).toEqual([
      { idx: 0, acked: 0 },
    ]);
    reader.close();
  });

  it('re-journaling the same plan is a no-op; a new plan replaces an unacked chunk', () => {
    const { store, uploadId } = withUpload();
    const plan = { idx: 0, offset: 0, length: 10, md5: md5('d') };
    store.uploads.journalChunk(uploadId, plan);
    store.uploads.ackChunk(uploadId, 0, 1);
    // A resend of an acked chunk's plan keeps the ack.
    expect(store.uploads.journalChunk(uploadId, plan)).toMatchObject({
      acked: true,
      serverChunkId: 1,
    });

    store.uploads.journalChunk(uploadId, { idx: 1, offset: 10, length: 10, md5: md5('e') });
    const replaced = store.uploads.journalChunk(uploadId, {
      idx: 1,
      offset: 10,
      length: 4,
      md5: md5('f'),
    });
    expect(replaced).toMatchObject({ length: 4, md5: md5('f'), acked: false });
  });

  it('refuses to replace a chunk the server already holds', () => {
    const { store, uploadId } = withUpload();
    store.uploads.journalChunk(uploadId, { idx: 0, offset: 0, length: 10, md5: md5('1') });
    store.uploads.ackChunk(uploadId, 0, 1);
    expect(() =>
      store.uploads.journalChunk(uploadId, { idx: 0, offset: 0, length: 10, md5: md5('2') }),
    ).toThrow(/already held by the server/);
    expect(store.uploads.listChunks(uploadId)[0]?.md5).toBe(md5('1'));
  });

  it('rejects malformed plans and unknown uploads', () => {
    const { store, uploadId } = withUpload();
    for (const bad of [
      { idx: -1, offset: 0, length: 1, md5: md5('a') },
      { idx: 0, offset: 0.5, length: 1, md5: md5('a') },
      { idx: 0, offset: 0, length: 1, md5: 'xyz' },
    ]) {
      expect(() => store.uploads.journalChunk(uploadId, bad)).toThrow(/Invalid chunk plan/);
    }
    let err: unknown;
    try {
      store.uploads.journalChunk('ghost', { idx: 0, offset: 0, length: 1, md5: md5('a') });
    } catch (e) {
      err = e;
    }
    expect(isFirmdropError(err, 'not-found')).toBe(true);
  });

  it('ackChunk marks the chunk and sums bytes_acked in one step; a repeat ack is harmless', () => {
    const { store, uploadId } = withUpload();
    store.uploads.journalChunk(uploadId, { idx: 0, offset: 0, length: 5 * MiB, md5: md5('a') });
    store.uploads.journalChunk(uploadId, { idx: 1, offset: 5 * MiB, length: 3, md5: md5('b') });
    const before = store.uploads.getUpload(uploadId)?.updatedAt ?? 0;
    expect(store.uploads.ackChunk(uploadId, 0, 1)).toBe(5 * MiB);
    expect(store.uploads.ackChunk(uploadId, 0, 1)).toBe(5 * MiB);
    expect(store.uploads.ackChunk(uploadId, 1, 2)).toBe(5 * MiB + 3);
    const upload = store.uploads.getUpload(uploadId);
    expect(upload?.bytesAcked).toBe(5 * MiB + 3);
    expect(upload?.updatedAt).toBeGreaterThan(before);
    const [c0] = store.uploads.listChunks(uploadId);
    expect(c0).toMatchObject({ acked: true, serverChunkId: 1 });
    expect(c0?.ackedAt).toEqual(expect.any(Number));
  });

  it('ackChunk refuses a chunk that was never journaled, or a second server id', () => {
    const { store, uploadId } = withUpload();
    expect(() => store.uploads.ackChunk(uploadId, 0, 1)).toThrow(/never journaled/);
    store.uploads.journalChunk(uploadId, { idx: 0, offset: 0, length: 1, md5: md5('a') });
    store.uploads.ackChunk(uploadId, 0, 1);
    expect(() => store.uploads.ackChunk(uploadId, 0, 2)).toThrow(
      /already acknowledged as server chunk 1/,
    );
    expect(() => store.uploads.ackChunk('ghost', 0, 1)).toThrow(/No upload with id ghost/);
  });

  it('resetChunks forgets every chunk and zeroes bytes_acked, keeping the job id', () => {
    const { store, uploadId } = withUpload();
    store.uploads.setJob(uploadId, 'job-1');
    store.uploads.journalChunk(uploadId, { idx: 0, offset: 0, length: 9, md5: md5('a') });
    store.uploads.ackChunk(uploadId, 0, 1);
    store.uploads.resetChunks(uploadId);
    expect(store.uploads.listChunks(uploadId)).toEqual([]);
    expect(store.uploads.getUpload(uploadId)).toMatchObject({ bytesAcked: 0, jobId: 'job-1' });
  });

  it('a restart in a new job is atomic with store.transaction', () => {
    const { store, uploadId } = withUpload();
    store.uploads.setJob(uploadId, 'job-1');
    store.uploads.journalChunk(uploadId, { idx: 0, offset: 0, length: 9, md5: md5('a') });
    expect(() =>
      store.transaction(() => {
        store.uploads.resetChunks(uploadId);
        store.uploads.setJob(uploadId, 'job-2');
        throw new Error('crash before commit');
      }),
    ).toThrow('crash before commit');
    expect(store.uploads.getUpload(uploadId)?.jobId).toBe('job-1');
    expect(store.uploads.listChunks(uploadId)).toHaveLength(1);

    store.transaction(() => {
      store.uploads.resetChunks(uploadId);
      store.uploads.setJob(uploadId, 'job-2');
    });
    expect(store.uploads.getUpload(uploadId)?.jobId).toBe('job-2');
    expect(store.uploads.listChunks(uploadId)).toEqual([]);
  });

  it('the journal survives closing and reopening the file', () => {
    const { store, uploadId } = withUpload();
    store.uploads.journalChunk(uploadId, { idx: 0, offset: 0, length: 5, md5: md5('a') });
    store.uploads.ackChunk(uploadId, 0, 1);
    store.uploads.journalChunk(uploadId, { idx: 1, offset: 5, length: 5, md5: md5('b') });
    const file = store.file;
    store.close();
    const again = openStore({ file });
    try {
      expect(again.uploads.listUnfinished().map((u) => u.bytesAcked)).toEqual([5]);
      expect(again.uploads.listChunks(uploadId).map((c) => c.acked)).toEqual([true, false]);
    } finally {
      again.close();
    }
  });

  it('chunks go when their upload goes (ON DELETE CASCADE)', () => {
    const { store, uploadId } = withUpload();
    store.uploads.journalChunk(uploadId, { idx: 0, offset: 0, length: 5, md5: md5('a') });
    store.db.prepare('DELETE FROM uploads WHERE id = ?').run(uploadId);
    expect(store.db.prepare('SELECT count(*) AS n FROM upload_chunks').get()).toEqual({ n: 0 });
  });
});
