import { afterEach, describe, expect, it, vi } from 'vitest';
import { DraftsState } from '../../../src-renderer/lib/state/drafts.svelte';
import { uploads } from '../../../src-renderer/lib/state/uploads.svelte';
import { installFakeBridge, ok } from './fake-bridge';
import { uploadView } from './uploads-fixture';

// The answer to an invoke and the event stream travel apart (two connections in the web shell):
// a small upload can be verified, and its event shown, before `uploads:add` has answered.
describe('views of an upload arriving out of order', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    uploads.items = [];
  });

  it('the answer to Start does not put back a state the events have already moved past', async () => {
    installFakeBridge({
      'uploads:validate': () => ok([]),
      'uploads:add': () => {
        // The event of the finished upload, made after the answer's view, arrives first.
        uploads.upsert(uploadView({ id: 'u0', revision: 7, phase: 'done', verified: true }));
        return ok([uploadView({ id: 'u0', revision: 3, phase: 'queued' })]);
      },
    });
    const drafts = new DraftsState();
    await drafts.addFiles([new File(['abc'], 'a.bin')], 'acc-1');
    await vi.waitFor(() => expect(drafts.ready).toHaveLength(1));
    await drafts.start();
    expect(uploads.byId('u0')).toMatchObject({ phase: 'done', verified: true, revision: 7 });
  });

  it('an event takes the place of an older view, never of a newer one', () => {
    uploads.upsert(uploadView({ id: 'a', revision: 10, phase: 'uploading' }));
    uploads.upsert(uploadView({ id: 'a', revision: 9, phase: 'queued' }));
    expect(uploads.byId('a')?.phase).toBe('uploading');
    uploads.upsert(uploadView({ id: 'a', revision: 11, phase: 'done' }));
    expect(uploads.byId('a')?.phase).toBe('done');
  });

  it('a list keeps what events brought meanwhile: newer states, new uploads, removals', async () => {
    // Known before the list was asked for: one the list no longer names (deleted elsewhere).
    uploads.upsert(uploadView({ id: 'deleted', revision: 2, phase: 'done' }));
    uploads.upsert(uploadView({ id: 'cleared', revision: 3, phase: 'done' }));
    installFakeBridge({
      'uploads:list': () => {
        // Events that overtook the list's answer: a newer state of one, an upload added since,
        // and one removed since (the list was made before the removal).
        uploads.upsert(uploadView({ id: 'moving', revision: 20, phase: 'verifying' }));
        uploads.upsert(uploadView({ id: 'new', revision: 21, phase: 'queued' }));
        uploads.remove('cleared');
        return ok([
          uploadView({ id: 'moving', revision: 12, phase: 'uploading' }),
          uploadView({ id: 'still', revision: 13, phase: 'paused' }),
          uploadView({ id: 'cleared', revision: 14, phase: 'done' }),
        ]);
      },
    });
    await uploads.load();
    expect(uploads.items.map((u) => [u.id, u.phase])).toEqual([
      ['moving', 'verifying'],
      ['still', 'paused'],
      ['new', 'queued'],
    ]);
  });

  it('an empty list empties the queue: what was deleted while the stream was down goes', async () => {
    uploads.upsert(uploadView({ id: 'old', revision: 5, phase: 'done' }));
    installFakeBridge({ 'uploads:list': () => ok([]) });
    await uploads.load();
    expect(uploads.items).toEqual([]);
  });
});
