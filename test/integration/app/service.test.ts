import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bootApp, type BootedApp } from '../../../src-main/app/boot';
import type { UploadView } from '../../../src-main/app/contract';
import { dispatch } from '../../../src-main/app/input-guards';
import { whenFired } from '../../../src-main/core/event';
import { useKeychain } from '../../helpers/keychain';

const keychain = useKeychain();
let app: BootedApp | undefined;
let dir = '';

afterEach(async () => {
  await app?.close();
  app = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function boot(): Promise<BootedApp> {
  dir = mkdtempSync(join(tmpdir(), 'firmdrop-app-'));
  app = await bootApp({
    dataDir: join(dir, 'data'),
    version: '0.0.0-test',
    keychain,
    resolveFile: (ref) => ref,
  });
  return app;
}

/** Calls go through the same guard every shell uses. */
async function call(a: BootedApp, channel: string, input?: unknown): Promise<unknown> {
  const r = await dispatch(a.service.api, channel, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value;
}

function untilDone(a: BootedApp, id: string): Promise<UploadView> {
  return whenFired(
    (listener) => a.service.events.on('upload:changed', listener),
    (v) => v.id === id && ['done', 'failed', 'cancelled'].includes(v.phase),
  );
}

describe('application service (first run, embedded sandbox)', () => {
  it('offers the sandbox account on first run and uploads, verifies and lists an image', async () => {
    const a = await boot();
    const accounts = (await call(a, 'accounts:list')) as Array<{
      id: string;
      isSandbox: boolean;
      name: string;
    }>;
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ isSandbox: true, name: 'Sandbox (local)', hasKey: true });
    const accountId = accounts[0]!.id;

    const file = join(dir, 'fw-1.0.bin');
    const data = randomBytes(9 * 1024 * 1024 + 5);
    writeFileSync(file, data);
    const [added] = (await call(a, 'uploads:add', {
      uploads: [
        {
          file: { ref: file, fileName: 'fw-1.0.bin', size: data.length },
          accountId,
          description: 'first try',
        },
      ],
    })) as UploadView[];
    expect(added).toMatchObject({ name: 'fw-1.0.bin', path: 'job', totalBytes: data.length });
    const done = await untilDone(a, added!.id);
    expect(done).toMatchObject({
      phase: 'done',
      verified: true,
      bytesAcked: data.length,
      error: null,
    });
    // Views made later number higher, whichever way they travel (see UploadView.revision).
    expect(done.revision).toBeGreaterThan(added!.revision);
    const [listed] = (await call(a, 'uploads:list')) as UploadView[];
    expect(listed?.revision).toBeGreaterThan(done.revision);

    const images = (await call(a, 'images:list', { accountId })) as {
      items: Array<{ id: string; verifiedLocally: boolean; datafileSize: number }>;
      total: number;
    };
    expect(images.total).toBe(1);
    expect(images.items[0]).toMatchObject({ verifiedLocally: true, datafileSize: data.length });

    const problems = (await call(a, 'uploads:validate', {
      accountId,
      name: 'fw-1.0.bin',
      description: '',
      fileName: 'fw-1.0.bin',
    })) as Array<{ field: string; suggestion?: string }>;
    expect(problems).toEqual([
      expect.objectContaining({ field: 'name', suggestion: 'fw-1.0.bin (2)' }),
    ]);

    await call(a, 'images:delete', { accountId, id: images.items[0]!.id });
    expect(((await call(a, 'images:list', { accountId })) as { total: number }).total).toBe(0);
    expect(((await call(a, 'jobs:list', { accountId })) as { items: unknown[] }).items).toEqual([]);
  });

  it('keeps the sandbox account (and its port) across restarts, and lists local history', async () => {
    const a = await boot();
    const [sb] = (await call(a, 'accounts:list')) as Array<{ id: string }>;
    await a.close();
    app = await bootApp({
      dataDir: join(dir, 'data'),
      version: '0.0.0-test',
      keychain,
      resolveFile: (r) => r,
    });
    const again = (await call(app, 'accounts:list')) as Array<{ id: string; baseUrl: string }>;
    expect(again.map((x) => x.id)).toEqual([sb!.id]);
    expect(again[0]!.baseUrl).toBe(app.sandbox!.url);
    expect((await call(app, 'app:info')) as object).toMatchObject({
      online: true,
      keychain: { ok: true },
    });
  });

  it('reports a wrong key when adding an account, and never echoes it', async () => {
    const a = await boot();
    const r = await dispatch(a.service.api, 'accounts:add', {
      name: 'Real',
      region: 'custom',
      baseUrl: a.sandbox!.url,
      apiKey: 'ak_definitely_wrong_123',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(JSON.stringify(r)).not.toContain('ak_definitely_wrong_123');
  });

  it('adds a batch all or nothing: two files under one name add neither', async () => {
    const a = await boot();
    const [sb] = (await call(a, 'accounts:list')) as Array<{ id: string }>;
    const files = ['a.bin', 'b.bin'].map((n) => {
      const p = join(dir, n);
      writeFileSync(p, randomBytes(1000));
      return { ref: p, fileName: n, size: 1000 };
    });
    const r = await dispatch(a.service.api, 'uploads:add', {
      uploads: files.map((file) => ({ file, accountId: sb!.id, name: 'same-name' })),
    });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'name-taken',
        message: expect.stringMatching(
          /^b\.bin: Another upload in the queue is already named "same-name"/,
        ),
      },
    });
    expect(await call(a, 'uploads:list')).toEqual([]);
  });

  it('one app per data folder: a second app on the same folder is refused until the first closes', async () => {
    const a = await boot();
    const second = await bootApp({
      dataDir: join(dir, 'data'),
      version: 't',
      keychain,
      resolveFile: (r) => r,
    }).catch((e: unknown) => e);
    expect(second).toMatchObject({
      code: 'storage',
      message: expect.stringMatching(/Firmdrop is already open with the data folder/),
    });
    await a.close();
    app = await bootApp({
      dataDir: join(dir, 'data'),
      version: 't',
      keychain,
      resolveFile: (r) => r,
    });
    expect(app.runtime.accounts.list()).toHaveLength(1);
  });

  it('refuses to remove the built-in sandbox account', async () => {
    const a = await boot();
    const [sb] = (await call(a, 'accounts:list')) as Array<{ id: string }>;
    const r = await dispatch(a.service.api, 'accounts:remove', { id: sb!.id });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
