import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountsService } from '../../../src-main/app/accounts-service';
import { createDmClient } from '../../../src-main/dm/client';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import { openStore, type Store } from '../../../src-main/store';
import { useKeychain } from '../../helpers/keychain';

const KEY = 'ak_accounts_test_5f0c2d9e8b7a6c5d4e3f2a1b0c9d8e7f';
const secrets = useKeychain();
let sandbox: Sandbox;
let store: Store;
let dir: string;
let service: AccountsService;

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [{ key: KEY, tier: '1', name: 'Acme Devices' }] });
});
afterAll(async () => sandbox.close());

function fresh(): void {
  dir = mkdtempSync(join(tmpdir(), 'firmdrop-accounts-'));
  store = openStore({ file: join(dir, 'firmdrop.db') });
  service = new AccountsService(store, secrets, async (baseUrl, apiKey) =>
    createDmClient({ baseUrl, apiKey, timeoutMs: 3000, retry: { maxAttempts: 1 } }),
  );
}
afterEach(async () => {
  for (const a of service.list()) await service.remove(a.id);
  await service.closeClients();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('accounts service (real keychain, sandbox over HTTP)', () => {
  it('adds an account after proving its key, stores the key only in the keychain', async () => {
    fresh();
    const a = await service.add({
      name: 'Lab',
      region: 'custom',
      baseUrl: sandbox.url,
      apiKey: KEY,
    });
    expect(a).toMatchObject({
      name: 'Lab',
      baseUrl: sandbox.url,
      tier: '1',
      displayName: 'Acme Devices',
    });
    expect(await secrets.get(a.id)).toBe(KEY);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of ['firmdrop.db', 'firmdrop.db-wal']) {
      const bytes = (() => {
        try {
          return readFileSync(join(dir, f));
        } catch {
          return Buffer.alloc(0);
        }
      })();
      expect(bytes.includes(Buffer.from(KEY))).toBe(false);
    }
    expect(await service.quota(a.id)).toEqual({ used: 0, limit: 1000 });
    expect((await service.test(a.id)).tier).toBe('1');
  });

  it('says a wrong key is refused and keeps nothing', async () => {
    fresh();
    const err = await service
      .add({ name: 'Lab', region: 'custom', baseUrl: sandbox.url, apiKey: 'ak_wrong_key_000' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unauthorized' });
    expect((err as Error).message).toMatch(/refused this API key.*region/);
    expect((err as Error).message).not.toContain('ak_wrong_key_000');
    expect(service.list()).toEqual([]);
  });

  it('says an unreachable region cannot be reached', async () => {
    fresh();
    const err = await service
      .add({ name: 'Lab', region: 'custom', baseUrl: 'http://127.0.0.1:9', apiKey: KEY })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'network' });
    expect((err as Error).message).toMatch(/could not be reached/);
    expect(service.list()).toEqual([]);
  });

  it('refuses plain http to another machine, before sending the key anywhere', async () => {
    fresh();
    await expect(
      service.add({
        name: 'Lab',
        region: 'custom',
        baseUrl: 'http://api.example.com',
        apiKey: KEY,
      }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/https:\/\//),
    });
  });

  it('removing an account removes its key; renaming keeps it', async () => {
    fresh();
    const a = await service.add({
      name: 'Lab',
      region: 'custom',
      baseUrl: sandbox.url,
      apiKey: KEY,
    });
    expect(service.rename(a.id, 'Bench').name).toBe('Bench');
    expect(await secrets.get(a.id)).toBe(KEY);
    await service.remove(a.id);
    expect(await secrets.get(a.id)).toBeNull();
    expect(service.list()).toEqual([]);
  });

  it('removing keeps the account when the keychain cannot delete its key', async () => {
    fresh();
    const a = await service.add({
      name: 'Lab',
      region: 'custom',
      baseUrl: sandbox.url,
      apiKey: KEY,
    });
    // The real keychain, except that deleting times out (as a locked keyring with a prompt does).
    const stuck = new AccountsService(
      store,
      { ...secrets, delete: () => Promise.reject(new Error('The OS keychain did not answer.')) },
      async (baseUrl, apiKey) => createDmClient({ baseUrl, apiKey }),
    );
    await expect(stuck.remove(a.id)).rejects.toThrow('The OS keychain did not answer.');
    expect(service.list().map((x) => x.id)).toEqual([a.id]);
    expect(await secrets.get(a.id)).toBe(KEY);
  });

  it('refuses to remove the built-in sandbox account, whichever shell asks', async () => {
    fresh();
    const builtIn = store.accounts.create({
      name: 'Sandbox (local)',
      baseUrl: sandbox.url,
      region: 'custom',
      isSandbox: true,
    });
    await expect(service.remove(builtIn.id)).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('cannot be removed'),
    });
    expect(service.list().map((x) => x.id)).toEqual([builtIn.id]);
    store.accounts.delete(builtIn.id);
  });
});
