import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bootApp, type BootedApp } from '../../../src-main/app/boot';
import type { Settings } from '../../../src-main/app/contract';
import { dispatch } from '../../../src-main/app/input-guards';
import { useKeychain } from '../../helpers/keychain';
import { useSandbox } from '../../helpers/sandbox-fixture';

/** The app's "Trusted CA certificate" setting against a sandbox behind TLS. */
const KEY = 'ak_app_tls_0123456789';
const keychain = useKeychain();
const sandbox = useSandbox({ tls: true, accounts: [{ key: KEY, tier: '1' }] });
let app: BootedApp | undefined;
let dir = '';

afterEach(async () => {
  await app?.close();
  app = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function boot(): Promise<BootedApp> {
  dir = mkdtempSync(join(tmpdir(), 'firmdrop-ca-'));
  app = await bootApp({
    dataDir: join(dir, 'data'),
    version: '0.0.0-test',
    keychain,
    resolveFile: (ref) => ref,
    sandbox: false,
  });
  return app;
}

async function call(a: BootedApp, channel: string, input?: unknown) {
  return dispatch(a.service.api, channel, input);
}

const addAccount = (a: BootedApp, name: string) =>
  call(a, 'accounts:add', { name, region: 'custom', baseUrl: sandbox().url, apiKey: KEY });

describe('Settings → Network → Trusted CA certificate', () => {
  it('is refused when the file holds no certificate, and nothing is saved', async () => {
    const a = await boot();
    const bad = join(dir, 'notes.txt');
    writeFileSync(bad, 'not a certificate\n');
    const r = await call(a, 'settings:update', { caCertFile: bad });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('holds no PEM certificate');
    const s = await call(a, 'settings:get');
    expect(s.ok && (s.value as Settings).caCertFile).toBe('');
  });

  it('without it the sandbox is not trusted (and the error says where to add the CA); with it, it is', async () => {
    const a = await boot();
    const refused = await addAccount(a, 'before');
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.message).toContain('TLS certificate not trusted');
      expect(refused.error.message).toContain('Settings → Network → Trusted CA certificate');
    }
    const set = await call(a, 'settings:update', { caCertFile: sandbox().caCertPath });
    expect(set.ok && (set.value as Settings).caCertFile).toBe(sandbox().caCertPath);
    const added = await addAccount(a, 'after');
    expect(added.ok).toBe(true);
  });
});
