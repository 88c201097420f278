import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src-main/store';
import { sampleAccount, useTempDir } from './temp-store';

const tmp = useTempDir();

function image(id: string, created: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: `fw-${id}`,
    created_at: created,
    datafile_size: 1024,
    datafile_checksum: 'e'.repeat(64),
    object: 'firmware-image',
    ...extra,
  };
}

function twoAccounts(): { store: Store; a: string; b: string } {
  const store = tmp.open({ now: () => 777 });
  return {
    store,
    a: store.accounts.create(sampleAccount).id,
    b: store.accounts.create({ ...sampleAccount, name: 'B' }).id,
  };
}

describe('server cache', () => {
  it('replace keeps exactly the given images for one account; list is newest first', () => {
    const { store, a, b } = twoAccounts();
    store.cache.images.replace(b, [image('other', '2024-01-01T00:00:00Z')]);
    store.cache.images.replace(a, [
      image('old', '2023-05-01T10:00:00Z'),
      image('new', '2024-02-01T10:00:00.123Z'),
      image('mid', '2023-12-31T23:59:59Z'),
    ]);
    expect(store.cache.images.list(a).map((i) => i.id)).toEqual(['new', 'mid', 'old']);

    store.cache.images.replace(a, [image('mid', '2023-12-31T23:59:59Z', { name: 'renamed' })], 999);
    const list = store.cache.images.list(a);
    expect(list).toEqual([
      {
        accountId: a,
        id: 'mid',
        name: 'renamed',
        createdAt: Date.parse('2023-12-31T23:59:59Z'),
        fetchedAt: 999,
        data: image('mid', '2023-12-31T23:59:59Z', { name: 'renamed' }),
      },
    ]);
    expect(store.cache.images.list(b).map((i) => i.id)).toEqual(['other']);
  });

  it('upsert adds or refreshes; get, remove, limit and fetchedAt', () => {
    const { store, a } = twoAccounts();
    expect(store.cache.images.fetchedAt(a)).toBeUndefined();
    store.cache.images.upsert(a, [image('1', '2024-01-01T00:00:00Z')]);
    store.cache.images.upsert(a, [image('2', '2024-01-02T00:00:00Z')], 800);
    store.cache.images.upsert(a, [image('1', '2024-01-01T00:00:00Z', { description: 'now' })], 900);
    expect(store.cache.images.get<{ description: string }>(a, '1')?.data.description).toBe('now');
    expect(store.cache.images.fetchedAt(a)).toBe(900);
    expect(store.cache.images.list(a, { limit: 1 }).map((i) => i.id)).toEqual(['2']);
    expect(store.cache.images.remove(a, '1')).toBe(true);
    expect(store.cache.images.remove(a, '1')).toBe(false);
    expect(store.cache.images.get(a, '1')).toBeUndefined();
  });

  it('a created_at the cache cannot read is kept as null and sorts last', () => {
    const { store, a } = twoAccounts();
    store.cache.images.replace(a, [
      { id: 'x', name: 'x', created_at: 'yesterday' },
      { id: 'y', name: 'y', created_at: '2020-01-01T00:00:00Z' },
      { id: 'z', name: 'z' },
    ]);
    const list = store.cache.images.list(a);
    expect(list.map((i) => [i.id, i.createdAt])).toEqual([
      ['y', Date.parse('2020-01-01T00:00:00Z')],
      ['z', null],
      ['x', null],
    ]);
  });

  it('jobs keep status and firmware_image_id as columns', () => {
    const { store, a } = twoAccounts();
    store.cache.jobs.replace(a, [
      {
        id: 'j1',
        name: 'big-fw',
        status: 'completed',
        firmware_image_id: 'img-9',
        created_at: '2024-03-01T00:00:00Z',
      },
      { id: 'j2', name: 'other', created_at: '2024-03-02T00:00:00Z' },
    ]);
    const [j2, j1] = store.cache.jobs.list(a);
    expect(j1).toMatchObject({
      id: 'j1',
      status: 'completed',
      firmwareImageId: 'img-9',
      fetchedAt: 777,
    });
    expect(j2).toMatchObject({ id: 'j2', status: null, firmwareImageId: null });
    const stored = store.db
      .prepare("SELECT status, firmware_image_id FROM jobs_cache WHERE id = 'j1'")
      .get();
    expect(stored).toEqual({ status: 'completed', firmware_image_id: 'img-9' });
  });

  it('a failing refresh changes nothing (one transaction)', () => {
    const { store, a } = twoAccounts();
    store.cache.images.replace(a, [image('keep', '2024-01-01T00:00:00Z')]);
    const cyclic: Record<string, unknown> = { id: 'bad', name: 'bad' };
    cyclic.self = cyclic;
    expect(() =>
      store.cache.images.replace(a, [image('new', '2024-01-02T00:00:00Z'), cyclic as never]),
    ).toThrow();
    expect(store.cache.images.list(a).map((i) => i.id)).toEqual(['keep']);
  });
});
