import { afterEach, describe, expect, it, vi } from 'vitest';
import { queueOrder, summarize, summaryParts } from '../../../src-renderer/lib/queue-summary';
import { UploadsState } from '../../../src-renderer/lib/state/uploads.svelte';
import { installFakeBridge, ok } from './fake-bridge';
import { uploadView } from './uploads-fixture';

const MiB = 1024 * 1024;

describe('queue summary', () => {
  afterEach(() => vi.unstubAllGlobals());

  const queue = [
    uploadView({ id: 'u1', phase: 'uploading', speed: 10 * MiB, bytesAcked: 40 * MiB }),
    uploadView({ id: 'u2', phase: 'hashing', speed: null, bytesAcked: 0 }),
    uploadView({ id: 'u3', phase: 'verifying', speed: 2 * MiB, bytesAcked: 100 * MiB }),
    uploadView({ id: 'q', phase: 'queued' }),
    uploadView({ id: 'p', phase: 'paused', bytesAcked: 50 * MiB }),
    uploadView({ id: 'w', phase: 'waiting-network', bytesAcked: 10 * MiB }),
    uploadView({ id: 'i', phase: 'interrupted', bytesAcked: 100 * MiB }),
    uploadView({ id: 'd1', phase: 'done', bytesAcked: 100 * MiB }),
    uploadView({ id: 'd2', phase: 'done', bytesAcked: 100 * MiB }),
    uploadView({ id: 'f', phase: 'failed' }),
    uploadView({ id: 'c', phase: 'cancelled' }),
  ];

  it('counts each group and sums the moving uploads’ speeds', () => {
    const s = summarize(queue);
    expect(s).toMatchObject({
      active: 3,
      queued: 1,
      waiting: 3,
      done: 2,
      failed: 1,
      cancelled: 1,
      totalSpeed: 12 * MiB,
    });
  });

  it('counts bytes still to send only for unfinished uploads', () => {
    const s = summarize(queue);
    // u1 60 + u2 100 + u3 0 + q 100 + p 50 + w 90
    expect(s.remainingBytes).toBe(400 * MiB);
    expect(s.unfinishedBytes).toBe(700 * MiB); // i is fully sent but not finished
  });

  it('reports no speed until an active upload has one', () => {
    expect(summarize([uploadView({ id: 'x', phase: 'hashing' })]).totalSpeed).toBeNull();
    expect(summarize([]).totalSpeed).toBeNull();
  });

  it('words the counts and leaves zeros out', () => {
    expect(summaryParts(summarize(queue))).toEqual([
      '3 uploading',
      '1 queued',
      '3 paused or waiting',
      '2 done',
      '1 failed',
      '1 cancelled',
    ]);
    expect(summaryParts(summarize([uploadView({ id: 'x', phase: 'done' })]))).toEqual(['1 done']);
  });

  it('orders the queue: moving, failed, paused, queued, done; newest first within a group', () => {
    const older = uploadView({ id: 'old', phase: 'uploading', createdAt: '2027-01-01T00:00:00Z' });
    const newer = uploadView({ id: 'new', phase: 'uploading', createdAt: '2027-02-01T00:00:00Z' });
    const ids = queueOrder([...queue, older, newer]).map((u) => u.id);
    expect(ids.slice(0, 2)).toEqual(['new', 'old']);
    expect(ids.indexOf('f')).toBeLessThan(ids.indexOf('p'));
    expect(ids.indexOf('p')).toBeLessThan(ids.indexOf('q'));
    expect(ids.indexOf('q')).toBeLessThan(ids.indexOf('d1'));
    expect(ids.at(-1)).toBe('c');
  });

  it('keeps the state’s summary in step with upload:changed and upload:removed', () => {
    const state = new UploadsState();
    state.upsert(uploadView({ id: 'a', phase: 'uploading', speed: 4 * MiB }));
    state.upsert(uploadView({ id: 'b', phase: 'queued' }));
    expect(state.summary.active).toBe(1);
    state.upsert(uploadView({ id: 'a', phase: 'done', bytesAcked: 100 * MiB }));
    expect(state.summary).toMatchObject({ active: 0, done: 1, queued: 1, totalSpeed: null });
    expect(state.hasFinished).toBe(true);
    state.remove('a');
    expect(state.items.map((u) => u.id)).toEqual(['b']);
    expect(state.summary.done).toBe(0);
  });

  it('offers to resume what a restart left interrupted, paused or failed, and does so', async () => {
    const fake = installFakeBridge({
      'uploads:list': () =>
        ok([
          uploadView({ id: 'i', phase: 'interrupted' }),
          uploadView({ id: 'p', phase: 'paused' }),
          uploadView({ id: 'f', phase: 'failed' }),
          uploadView({ id: 'd', phase: 'done' }),
        ]),
      'uploads:resume': () => ok(undefined),
      'uploads:retry': () => ok(undefined),
    });
    const state = new UploadsState();
    await state.load();
    state.detectInterrupted();
    expect(state.interrupted).toEqual(['i', 'p', 'f']);
    await state.resumeInterrupted();
    expect(fake.callsTo('uploads:resume')).toEqual([{ id: 'i' }, { id: 'p' }]);
    expect(fake.callsTo('uploads:retry')).toEqual([{ id: 'f' }]);
    expect(state.interrupted).toEqual([]);
  });

  it('retries a failed upload under the free name the service offered', async () => {
    const fake = installFakeBridge({ 'uploads:retry': () => ok(undefined) });
    await new UploadsState().retryAs('f', 'fw-1.2 (2)');
    expect(fake.callsTo('uploads:retry')).toEqual([{ id: 'f', name: 'fw-1.2 (2)' }]);
  });
});
