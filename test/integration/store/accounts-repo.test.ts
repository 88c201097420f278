import { describe, expect, it } from 'vitest';
import { isFirmdropError } from '../../../src-main/core/errors';
import { sampleAccount, sampleUpload, steppingClock, useTempDir } from './temp-store';

const tmp = useTempDir();

describe('accounts repo', () => {
  it('creates an account with a local uuid and maps every column', () => {
    const store = tmp.open({ now: () => 1000 });
    const a = store.accounts.create({
      ...sampleAccount,
      dmAccountId: '016b2f5f0f6a0242ac12000700000000',
      displayName: 'ACME Devices',
      tier: '1',
      isSandbox: false,
    });
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).toEqual({
      id: a.id,
      name: 'Production EU',
      baseUrl: 'https://api.eu-west-1.mbedcloud.com',
      region: 'eu-west-1',
      dmAccountId: '016b2f5f0f6a0242ac12000700000000',
      displayName: 'ACME Devices',
      tier: '1',
      isSandbox: false,
      createdAt: 1000,
      updatedAt: 1000,
    });
    expect(store.accounts.get(a.id)).toEqual(a);
  });

  it('defaults the optional fields and keeps a given id', () => {
    const store = tmp.open();
    const a = store.accounts.create({
      id: 'sandbox',
      name: 'Sandbox',
      baseUrl: 'http://127.0.0.1:8443',
      region: 'custom',
      isSandbox: true,
    });
    expect(a).toMatchObject({ id: 'sandbox', dmAccountId: null, tier: null, isSandbox: true });
  });

  it('names are unique ignoring case, with a name-taken error on create and on rename', () => {
    const store = tmp.open();
    store.accounts.create(sampleAccount);
    const other = store.accounts.create({ ...sampleAccount, name: 'Lab' });
    let err: unknown;
    try {
      store.accounts.create({ ...sampleAccount, name: 'production eu' });
    } catch (e) {
      err = e;
    }
    expect(isFirmdropError(err, 'name-taken')).toBe(true);
    expect((err as Error).message).toContain('"production eu" already exists');
    expect(() => store.accounts.update(other.id, { name: 'PRODUCTION EU' })).toThrow(
      /already exists/,
    );
    expect(store.accounts.getByName('PRODUCTION eu')?.name).toBe('Production EU');
  });

  it('lists by name and updates only the given fields, bumping updatedAt', () => {
    const store = tmp.open({ now: steppingClock(5000) });
    const b = store.accounts.create({ ...sampleAccount, name: 'beta' });
    store.accounts.create({ ...sampleAccount, name: 'Alpha' });
    expect(store.accounts.list().map((a) => a.name)).toEqual(['Alpha', 'beta']);
    const updated = store.accounts.update(b.id, { tier: '0', isSandbox: true, displayName: null });
    expect(updated).toMatchObject({ name: 'beta', tier: '0', isSandbox: true, displayName: null });
    expect(updated.updatedAt).toBeGreaterThan(b.updatedAt);
    expect(updated.createdAt).toBe(b.createdAt);
    expect(store.accounts.update(b.id, {})).toEqual(updated);
  });

  it('update and get of an unknown id', () => {
    const store = tmp.open();
    expect(store.accounts.get('nope')).toBeUndefined();
    expect(() => store.accounts.update('nope', { tier: '1' })).toThrow(/No account with id nope/);
  });

  it('delete removes the account with its finished uploads (cascade)', () => {
    const store = tmp.open();
    const a = store.accounts.create(sampleAccount);
    const u = store.uploads.createUpload(sampleUpload(a.id));
    store.uploads.journalChunk(u.id, { idx: 0, offset: 0, length: 5, md5: 'a'.repeat(32) });
    store.uploads.updateUpload(u.id, { state: 'done' });

    expect(store.accounts.delete(a.id)).toBe(true);
    expect(store.accounts.delete(a.id)).toBe(false);
    const count = (table: string) =>
      (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    for (const t of ['accounts', 'uploads', 'upload_chunks']) {
      expect(count(t), t).toBe(0);
    }
  });

  it('delete refuses while the account has unfinished uploads, and deletes nothing', () => {
    const store = tmp.open();
    const a = store.accounts.create(sampleAccount);
    store.uploads.createUpload(sampleUpload(a.id));
    expect(() => store.accounts.delete(a.id)).toThrow(/still has 1 unfinished upload\. Cancel/);
    expect(store.accounts.get(a.id)).toBeDefined();
    expect(store.uploads.listUnfinished()).toHaveLength(1);
  });
});
