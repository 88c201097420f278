import { describe, expect, it } from 'vitest';
import { isFirmdropError } from '../../../src-main/core/errors';
import type { Store } from '../../../src-main/store';
import { sampleAccount, sampleUpload, steppingClock, useTempDir } from './temp-store';

const tmp = useTempDir();

function withAccount(now = steppingClock()): { store: Store; accountId: string } {
  const store = tmp.open({ now });
  return { store, accountId: store.accounts.create(sampleAccount).id };
}

describe('uploads repo', () => {
  it('createUpload journals a queued upload with defaults; getUpload reads it back', () => {
    const { store, accountId } = withAccount(() => 42);
    const u = store.uploads.createUpload(sampleUpload(accountId));
    expect(u).toEqual({
      id: u.id,
      accountId,
      filePath: '/firmware/app-v2.bin',
      fileSize: 12 * 1024 * 1024,
      fileMtimeMs: 1_700_000_000_123.456,
      sha256: null,
      name: 'app-v2',
      description: '',
      encryption: false,
      chunkSize: null,
      path: 'job',
      jobId: null,
      state: 'queued',
      bytesAcked: 0,
      imageId: null,
      datafileUrl: null,
      datafileChecksum: null,
      datafileSize: null,
      encryptedDatafileChecksum: null,
      encryptedDatafileSize: null,
      verified: false,
      errorCode: null,
      errorMessage: null,
      attempts: 0,
      createdAt: 42,
      updatedAt: 42,
      finishedAt: null,
      createSentAt: null,
      completeSentAt: null,
      preflightPending: false,
      hiddenFromQueue: false,
      cancelAt: null,
      groupId: null,
    });
    expect(store.uploads.getUpload(u.id)).toEqual(u);
    expect(store.uploads.getUpload('missing')).toBeUndefined();
  });

  it('createUpload takes the optional fields and refuses an unknown account', () => {
    const { store, accountId } = withAccount();
    const u = store.uploads.createUpload({
      ...sampleUpload(accountId),
      id: 'u-1',
      description: 'release build',
      encryption: true,
      chunkSize: 16 * 1024 * 1024,
      sha256: 'f'.repeat(64),
      state: 'paused',
    });
    expect(u).toMatchObject({
      id: 'u-1',
      description: 'release build',
      encryption: true,
      chunkSize: 16 * 1024 * 1024,
      sha256: 'f'.repeat(64),
      state: 'paused',
    });
    expect(() => store.uploads.createUpload(sampleUpload('ghost'))).toThrow(
      /No account with id ghost/,
    );
  });

  it('preflightPending: journaled while offline, cleared once the pre-flight checks passed', () => {
    const { store, accountId } = withAccount();
    const offline = store.uploads.createUpload({
      ...sampleUpload(accountId),
      preflightPending: true,
    });
    expect(offline.preflightPending).toBe(true);
    expect(
      store.db.prepare('SELECT preflight_pending FROM uploads WHERE id = ?').get(offline.id),
    ).toEqual({ preflight_pending: 1 });
    expect(
      store.uploads.updateUpload(offline.id, { preflightPending: false }).preflightPending,
    ).toBe(false);
    expect(store.uploads.getUpload(offline.id)?.preflightPending).toBe(false);
    const online = store.uploads.createUpload(sampleUpload(accountId));
    expect(online.preflightPending).toBe(false);
    expect(store.uploads.updateUpload(online.id, { preflightPending: true }).preflightPending).toBe(
      true,
    );
  });

  it('updateUpload writes the patch, maps booleans, stamps finishedAt on a terminal state', () => {
    const { store, accountId } = withAccount(steppingClock(100));
    const u = store.uploads.createUpload(sampleUpload(accountId));
    const done = store.uploads.updateUpload(u.id, {
      state: 'done',
      imageId: 'img-1',
      datafileUrl: 'https://example.invalid/fw.bin',
      datafileChecksum: 'a'.repeat(64),
      datafileSize: 12,
      encryptedDatafileChecksum: 'b'.repeat(64),
      encryptedDatafileSize: 16,
      verified: true,
      attempts: 2,
    });
    expect(done).toMatchObject({
      state: 'done',
      imageId: 'img-1',
      verified: true,
      attempts: 2,
      encryptedDatafileSize: 16,
    });
    expect(done.finishedAt).toBe(done.updatedAt);
    expect(done.updatedAt).toBeGreaterThan(u.updatedAt);

    // A failed upload is not terminal (core: the user may retry): no finish stamp.
    const other = store.uploads.createUpload(sampleUpload(accountId));
    const failed = store.uploads.updateUpload(other.id, {
      state: 'failed',
      errorCode: 'network',
      errorMessage: 'offline',
    });
    expect(failed.finishedAt).toBeNull();
    const retried = store.uploads.updateUpload(other.id, { state: 'queued', errorCode: null });
    expect(retried).toMatchObject({ state: 'queued', finishedAt: null, errorCode: null });
    expect(retried.errorMessage).toBe('offline');
    // Terminal → terminal keeps the first stamp; an explicit finishedAt wins.
    const cancelled = store.uploads.updateUpload(u.id, { state: 'cancelled' });
    expect(cancelled.finishedAt).toBe(done.finishedAt);
    expect(store.uploads.updateUpload(u.id, { state: 'cancelled', finishedAt: 7 }).finishedAt).toBe(
      7,
    );
    // Leaving a terminal state (never done by core's table, but possible here) clears the stamp.
    expect(store.uploads.updateUpload(u.id, { state: 'queued' }).finishedAt).toBeNull();
  });

  it('updateUpload ignores fields that are not patchable and rejects an unknown id', () => {
    const { store, accountId } = withAccount();
    const u = store.uploads.createUpload(sampleUpload(accountId));
    const patch = { sha256: 'c'.repeat(64), accountId: 'other', bytesAcked: 99 };
    const after = store.uploads.updateUpload(u.id, patch);
    expect(after).toMatchObject({ sha256: 'c'.repeat(64), accountId, bytesAcked: 0 });
    expect(() => store.uploads.updateUpload('nope', { state: 'failed' })).toThrow(
      /No upload with id nope/,
    );
  });

  it('states that core/upload-state does not know are refused before SQL', () => {
    const { store, accountId } = withAccount();
    const u = store.uploads.createUpload(sampleUpload(accountId));
    // Bypassing the types on purpose: the CHECK constraint is the last line.
    let err: unknown;
    try {
      store.uploads.updateUpload(u.id, { state: 'completed' as unknown as 'done' });
    } catch (e) {
      err = e;
    }
    expect(isFirmdropError(err, 'internal')).toBe(true);
    expect((err as Error).message).toMatch(/"completed" is not an upload state .*This is a bug/);
    expect(() =>
      store.uploads.createUpload({ ...sampleUpload(accountId), state: 'x' as unknown as 'done' }),
    ).toThrow(/not an upload state/);
    // The path has a CHECK in the table: a violated constraint is reported as our bug.
    let pathErr: unknown;
    try {
      store.uploads.updateUpload(u.id, { path: 'big' as unknown as 'job' });
    } catch (e) {
      pathErr = e;
    }
    expect(isFirmdropError(pathErr, 'internal')).toBe(true);
    expect((pathErr as Error).message).toMatch(
      /does not accept\. Nothing was changed\. This is a bug/,
    );
    expect(store.uploads.getUpload(u.id)?.state).toBe('queued');
  });

  it('setJob records and clears the server job', () => {
    const { store, accountId } = withAccount();
    const u = store.uploads.createUpload(sampleUpload(accountId));
    expect(store.uploads.setJob(u.id, '0172a3c1e9d80242ac12000c00000000').jobId).toBe(
      '0172a3c1e9d80242ac12000c00000000',
    );
    expect(store.uploads.setJob(u.id, null).jobId).toBeNull();
    expect(() => store.uploads.setJob('nope', 'j')).toThrow(/No upload with id nope/);
  });

  it('listUploads: newest first, filtered by states and account, paged with before', () => {
    const { store, accountId } = withAccount(steppingClock());
    const other = store.accounts.create({ ...sampleAccount, name: 'Other' }).id;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const u = store.uploads.createUpload({
        ...sampleUpload(i % 2 === 0 ? accountId : other),
        name: `fw-${i}`,
      });
      ids.push(u.id);
      if (i % 3 === 0) store.uploads.updateUpload(u.id, { state: 'done' });
    }
    const names = (list: { name: string }[]) => list.map((u) => u.name);
    expect(names(store.uploads.listUploads({ limit: 100 }))).toEqual([
      'fw-6',
      'fw-5',
      'fw-4',
      'fw-3',
      'fw-2',
      'fw-1',
      'fw-0',
    ]);
    const page1 = store.uploads.listUploads({ limit: 3 });
    const page2 = store.uploads.listUploads({ limit: 3, before: page1.at(-1)?.id ?? '' });
    const page3 = store.uploads.listUploads({ limit: 3, before: page2.at(-1)?.id ?? '' });
    expect([page1, page2, page3].map(names)).toEqual([
      ['fw-6', 'fw-5', 'fw-4'],
      ['fw-3', 'fw-2', 'fw-1'],
      ['fw-0'],
    ]);
    expect(names(store.uploads.listUploads({ limit: 10, accountId }))).toEqual([
      'fw-6',
      'fw-4',
      'fw-2',
      'fw-0',
    ]);
    expect(names(store.uploads.listUploads({ limit: 10, states: ['done'] }))).toEqual([
      'fw-6',
      'fw-3',
      'fw-0',
    ]);
    expect(
      names(store.uploads.listUploads({ limit: 10, states: ['queued'], accountId: other })),
    ).toEqual(['fw-5', 'fw-1']);
    expect(() => store.uploads.listUploads({ limit: 0 })).toThrow(/1 to 1000/);
  });

  it('pages stay exact when uploads share a millisecond', () => {
    const { store, accountId } = withAccount(() => 1);
    for (let i = 0; i < 5; i++)
      store.uploads.createUpload({ ...sampleUpload(accountId), id: `u${i}` });
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = store.uploads.listUploads({ limit: 2, ...(before ? { before } : {}) });
      if (page.length === 0) break;
      seen.push(...page.map((u) => u.id));
      before = page.at(-1)?.id;
    }
    expect(seen).toEqual(['u4', 'u3', 'u2', 'u1', 'u0']);
  });

  it('listUnfinished returns every non-terminal upload, oldest first', () => {
    const { store, accountId } = withAccount(steppingClock());
    const states = [
      'queued',
      'checking',
      'hashing',
      'uploading',
      'finalising',
      'verifying',
      'paused',
      'waiting-network',
      'failed',
      'interrupted',
    ] as const;
    for (const state of ['done', ...states, 'cancelled'] as const) {
      store.uploads.createUpload({ ...sampleUpload(accountId), name: state, state });
    }
    expect(store.uploads.listUnfinished().map((u) => u.name)).toEqual([...states]);
  });

  it('listGroup lists the targets of one fan-out in the order they were added', () => {
    const { store, accountId } = withAccount(steppingClock());
    const other = store.accounts.create({ ...sampleAccount, name: 'Other' }).id;
    const a = store.uploads.createUpload({ ...sampleUpload(accountId), groupId: 'g1' });
    store.uploads.createUpload({ ...sampleUpload(accountId), name: 'alone' });
    const b = store.uploads.createUpload({ ...sampleUpload(other), groupId: 'g1' });
    store.uploads.createUpload({ ...sampleUpload(other), name: 'x', groupId: 'g2' });
    expect(store.uploads.listGroup('g1').map((u) => u.id)).toEqual([a.id, b.id]);
    expect(store.uploads.getUpload(b.id)?.groupId).toBe('g1');
    expect(store.uploads.listGroup('none')).toEqual([]);
  });

  it('deleteUpload removes the upload and its chunks', () => {
    const { store, accountId } = withAccount();
    const u = store.uploads.createUpload(sampleUpload(accountId));
    store.uploads.journalChunk(u.id, { idx: 0, offset: 0, length: 10, md5: '0'.repeat(32) });
    expect(store.uploads.deleteUpload(u.id)).toBe(true);
    expect(store.uploads.deleteUpload(u.id)).toBe(false);
    expect(store.db.prepare('SELECT count(*) AS n FROM upload_chunks').get()).toEqual({ n: 0 });
  });

  it('clearFinished deletes terminal uploads (optionally of one account) with their chunks', () => {
    const { store, accountId } = withAccount();
    const other = store.accounts.create({ ...sampleAccount, name: 'Other' }).id;
    for (const acc of [accountId, other]) {
      for (const state of ['done', 'cancelled', 'failed', 'uploading'] as const) {
        const u = store.uploads.createUpload({ ...sampleUpload(acc), state });
        store.uploads.journalChunk(u.id, { idx: 0, offset: 0, length: 1, md5: '1'.repeat(32) });
      }
    }
    expect(store.uploads.clearFinished({ accountId: other })).toBe(2);
    expect(store.uploads.listUploads({ limit: 100, accountId: other }).map((u) => u.state)).toEqual(
      ['uploading', 'failed'],
    );
    expect(store.uploads.clearFinished()).toBe(2);
    expect(store.uploads.listUploads({ limit: 100 })).toHaveLength(4);
    expect(store.db.prepare('SELECT count(*) AS n FROM upload_chunks').get()).toEqual({ n: 4 });
  });

  it('hideFinished marks finished uploads off the queue and keeps them; deleteFinished removes them', () => {
    const { store, accountId } = withAccount();
    const other = store.accounts.create({ ...sampleAccount, name: 'Other' }).id;
    const ids: Record<string, string> = {};
    for (const acc of [accountId, other]) {
      for (const state of ['done', 'cancelled', 'failed', 'paused'] as const) {
        ids[`${acc}:${state}`] = store.uploads.createUpload({ ...sampleUpload(acc), state }).id;
      }
    }
    const hidden = store.uploads.hideFinished();
    expect(hidden.sort()).toEqual(
      [accountId, other].flatMap((a) => [ids[`${a}:done`], ids[`${a}:cancelled`]]).sort(),
    );
    expect(store.uploads.hideFinished()).toEqual([]);
    const all = store.uploads.listUploads({ limit: 100 });
    expect(all).toHaveLength(8);
    expect(
      all
        .filter((u) => u.hiddenFromQueue)
        .map((u) => u.state)
        .sort(),
    ).toEqual(['cancelled', 'cancelled', 'done', 'done']);

    expect(store.uploads.deleteFinished({ accountId: other }).sort()).toEqual(
      [ids[`${other}:done`], ids[`${other}:cancelled`]].sort(),
    );
    expect(store.uploads.deleteFinished()).toHaveLength(2);
    expect(
      store.uploads
        .listUploads({ limit: 100 })
        .map((u) => u.state)
        .sort(),
    ).toEqual(['failed', 'failed', 'paused', 'paused']);
  });
});
