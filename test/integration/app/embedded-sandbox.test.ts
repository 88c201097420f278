import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bootApp, type BootedApp } from '../../../src-main/app/boot';
import { api, http } from '../../helpers/sandbox-client';
import { memorySecrets } from '../../helpers/memory-secrets';

let app: BootedApp | undefined;
let dir = '';

afterEach(async () => {
  await app?.close();
  app = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe("the desktop app's embedded sandbox", () => {
  it('serves the API but has no admin API or fault injection: /__sandbox/ is a 404', async () => {
    dir = mkdtempSync(join(tmpdir(), 'firmdrop-embedded-'));
    // The keychain is not what this test is about; the embedded account's key is local anyway.
    app = await bootApp({
      dataDir: join(dir, 'data'),
      version: 't',
      keychain: memorySecrets(),
      resolveFile: (r) => r,
    });
    const sb = app.sandbox!;
    const key = sb.accounts[0]!.key;
    expect((await api(sb.url, key, 'GET', '/v3/accounts/me')).status).toBe(200);

    // Whatever token is tried: the routes are not there at all.
    for (const [method, path, body] of [
      ['GET', '/__sandbox/state', undefined],
      ['POST', '/__sandbox/faults', JSON.stringify({ kind: 'status', status: 500 })],
      ['DELETE', '/__sandbox/faults', undefined],
      ['PUT', '/__sandbox/settings', JSON.stringify({ latencyMs: 1000 })],
    ] as const) {
      const r = await http(`${sb.url}${path}`, {
        method,
        headers: { 'x-sandbox-admin': 'anything', 'content-type': 'application/json' },
        body,
      });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.json).toMatchObject({ code: 404, object: 'error' });
    }
    // Nothing was armed: the API still answers.
    expect((await api(sb.url, key, 'GET', '/v3/accounts/me')).status).toBe(200);
    expect(sb).not.toHaveProperty('faults');
    expect(sb).not.toHaveProperty('adminToken');
  });
});
