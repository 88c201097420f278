import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountView } from '../../../src-main/app/contract';
import { invoke, send } from './http-client';
import { startFixture } from './fixture';
import type { Fixture } from './fixture';

const account: AccountView = {
  id: 'acc-1',
  name: 'Renamed',
  baseUrl: 'https://api.eu-west-1.mbedcloud.com',
  region: 'eu',
  isSandbox: false,
  displayName: 'ACME',
  dmAccountId: '016f',
  tier: '1',
  hasKey: true,
  isDefault: false,
};

describe('web shell commands', () => {
  let fx: Fixture;
  const seen: unknown[] = [];
  beforeAll(async () => {
    fx = await startFixture({
      'accounts:rename': async (input) => {
        seen.push(input);
        return { ok: true, value: { ...account, id: input.id, name: input.name } };
      },
      'uploads:clear-finished': async () => ({ ok: true, value: undefined }),
      'accounts:remove': async () => {
        throw new Error(
          'database is locked\n    at Object.<anonymous> (/secret/path/store.ts:12:3)',
        );
      },
      'uploads:add': async () => ({ ok: true, value: [] }),
    });
  });
  afterAll(() => fx.close());

  it('round-trips a command and its Result', async () => {
    const res = await invoke(fx.shell.port, fx.shell.token, 'accounts:rename', [
      { id: 'acc-1', name: 'Renamed' },
    ]);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ ok: true, value: account });
    expect(seen).toEqual([{ id: 'acc-1', name: 'Renamed' }]);
  });

  it('passes a service error Result through unchanged', async () => {
    const res = await invoke(fx.shell.port, fx.shell.token, 'settings:get');
    expect(res.json()).toEqual({
      ok: false,
      error: { code: 'internal', message: 'settings:get is not stubbed' },
    });
  });

  it('accepts a command without arguments and an empty body', async () => {
    const res = await send(fx.shell.port, {
      method: 'POST',
      path: '/api/invoke/uploads:clear-finished',
      headers: { 'content-type': 'application/json', 'x-firmdrop-token': fx.shell.token },
    });
    expect(res.json()).toEqual({ ok: true });
  });

  it('answers 404 for a channel outside the allowlist', async () => {
    for (const channel of ['shell:exec', 'toString', '__proto__', 'constructor']) {
      const res = await invoke(fx.shell.port, fx.shell.token, channel);
      expect(res.status, channel).toBe(404);
      expect(res.json()).toMatchObject({ ok: false, error: { code: 'not-found' } });
    }
  });

  it('turns a thrown handler into an internal error result without the stack', async () => {
    const res = await invoke(fx.shell.port, fx.shell.token, 'accounts:remove', [{ id: 'x' }]);
    expect(res.status).toBe(200);
    const body = res.json() as { ok: boolean; error: { code: string; message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('internal');
    expect(body.error.message).toContain('database is locked');
    expect(res.text).not.toMatch(/\bat Object\.|store\.ts|\/secret\//);
    expect(fx.logged).toContain('web shell: accounts:remove failed inside Firmdrop');
  });

  it('refuses non-JSON, malformed, oversized and non-array bodies', async () => {
    const headers = { 'x-firmdrop-token': fx.shell.token };
    const form = await send(fx.shell.port, {
      method: 'POST',
      path: '/api/invoke/app:info',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    const broken = await send(fx.shell.port, {
      method: 'POST',
      path: '/api/invoke/app:info',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '[{',
    });
    expect(broken.status).toBe(400);
    const big = await invoke(fx.shell.port, fx.shell.token, 'accounts:rename', [
      { id: 'x', name: 'n'.repeat(2 * 1024 * 1024) },
    ]);
    expect(big.status).toBe(413);
    expect(big.json()).toMatchObject({ error: { code: 'too-large' } });
    const notArray = await send(fx.shell.port, {
      method: 'POST',
      path: '/api/invoke/app:info',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{"id":"x"}',
    });
    expect(notArray.status).toBe(400);
  });

  it('answers 405 to GET on a command', async () => {
    const res = await send(fx.shell.port, {
      path: '/api/invoke/app:info',
      headers: { 'x-firmdrop-token': fx.shell.token },
    });
    expect(res.status).toBe(405);
  });

  it('refuses uploads:add for a file that was not staged here (an arbitrary path)', async () => {
    const res = await invoke(fx.shell.port, fx.shell.token, 'uploads:add', [
      { uploads: [{ accountId: 'a', file: { ref: '/etc/passwd', fileName: 'passwd', size: 1 } }] },
    ]);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'file-missing' } });
  });
});
