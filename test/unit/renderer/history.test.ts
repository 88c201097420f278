import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImageView, PageQuery } from '../../../src-main/app/contract';
import { HistoryState, SEARCH_DELAY_MS } from '../../../src-renderer/lib/state/history.svelte';
import { uploads } from '../../../src-renderer/lib/state/uploads.svelte';
import { installFakeBridge, ok } from './fake-bridge';
import { uploadView } from './uploads-fixture';

function image(id: string): ImageView {
  return {
    id,
    name: id,
    description: '',
    datafileUrl: `https://x/${id}`,
    datafileSize: 1,
    datafileChecksum: 'ab',
    encrypted: false,
    encryptedChecksum: null,
    encryptedSize: null,
    createdAt: '2026-11-28T09:00:00Z',
    verifiedLocally: false,
  };
}

describe('history state', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    uploads.items = [];
  });

  it('loads a server tab for the fallback account and does not reload it needlessly', async () => {
    const fake = installFakeBridge({
      'images:list': (q) =>
        ok({ items: [image(`${q.accountId}-1`)], after: null, hasMore: false, total: 1 }),
    });
    const h = new HistoryState();
    h.setTab('images', 'acc-default');
    await vi.waitFor(() => expect(h.images.items).toHaveLength(1));
    await h.ensureLoaded('acc-default');
    expect(fake.callsTo('images:list')).toEqual([{ accountId: 'acc-default', limit: 100 }]);
    h.setAccount('acc-2', 'acc-default');
    await vi.waitFor(() => expect(h.images.items[0]?.id).toBe('acc-2-1'));
  });

  it('keeps the selected image in the panel while the list reloads, and lets it go if it is gone', async () => {
    let answer: (items: ImageView[]) => void = () => undefined;
    installFakeBridge({
      'images:list': () =>
        new Promise((done) => {
          answer = (items) => done(ok({ items, after: null, hasMore: false, total: items.length }));
        }),
    });
    const h = new HistoryState();
    h.setTab('images', 'acc-1');
    answer([image('a'), image('b')]);
    await vi.waitFor(() => expect(h.images.items).toHaveLength(2));
    h.selectImage('b');
    const shown = h.selectedImage;
    expect(shown?.id).toBe('b');
    const reload = h.reload('acc-1');
    expect(h.images.loading).toBe(true);
    expect(h.selectedImage).toBe(shown); // the same object: the panel is not re-created
    answer([image('a')]);
    await reload;
    expect(h.selectedImage).toBeNull();
  });

  it('searches the server once typing pauses', async () => {
    const fake = installFakeBridge({
      'jobs:list': () => ok({ items: [], after: null, hasMore: false, total: 0 }),
    });
    const h = new HistoryState();
    h.setTab('jobs', 'acc-1');
    for (const text of ['g', 'ga', 'gat', 'gate']) {
      h.setSearch(text, 'acc-1');
      await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS / 2);
    }
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS);
    const queries = fake.callsTo('jobs:list') as PageQuery[];
    expect(queries.map((q) => q.search ?? null)).toEqual([null, 'gate']);
  });

  it('filters local uploads by account and search at once', () => {
    installFakeBridge();
    uploads.items = [
      uploadView({ id: 'gateway', accountId: 'a' }),
      uploadView({ id: 'sensor', accountId: 'b', description: 'gateway companion' }),
      uploadView({ id: 'modem', accountId: 'a' }),
    ];
    const h = new HistoryState();
    expect(h.localUploads).toHaveLength(3);
    h.setSearch('GATEWAY', 'a');
    expect(h.localUploads.map((u) => u.id).sort()).toEqual(['gateway', 'sensor']);
    h.setAccount('a', 'a');
    expect(h.localUploads.map((u) => u.id)).toEqual(['gateway']);
  });

  it('deletes an image from the list and closes its details', async () => {
    const fake = installFakeBridge({
      'images:list': () =>
        ok({ items: [image('i1'), image('i2')], after: null, hasMore: false, total: 2 }),
      'images:delete': () => ok(undefined),
    });
    const h = new HistoryState();
    h.setTab('images', 'acc');
    await vi.waitFor(() => expect(h.images.items).toHaveLength(2));
    h.selectImage('i1');
    expect(h.selectedImage?.id).toBe('i1');
    expect(await h.deleteImage('acc', 'i1')).toBe(true);
    expect(fake.callsTo('images:delete')).toEqual([{ accountId: 'acc', id: 'i1' }]);
    expect(h.images.items.map((i) => i.id)).toEqual(['i2']);
    expect(h.selectedImage).toBeNull();
  });

  it('returns the service’s message when a job rename is refused', async () => {
    installFakeBridge({
      'jobs:rename': () => ({
        ok: false,
        error: { code: 'name-taken', message: 'That name is taken.' },
      }),
    });
    const h = new HistoryState();
    expect(await h.renameJob('acc', 'j1', 'x')).toBe('That name is taken.');
  });
});
