import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoke, send } from './http-client';
import { startFixture } from './fixture';
import type { Fixture } from './fixture';

const info = {
  version: '9.9.9',
  online: true,
  outages: [],
  keychain: { ok: true },
  notices: [],
} as const;

describe('web shell guard', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({
      'app:info': async () => ({ ok: true, value: { ...info, outages: [], notices: [] } }),
    });
  });
  afterAll(() => fx.close());

  it('binds to 127.0.0.1 and hands out a 64-hex-digit token inside the URL', () => {
    expect(fx.shell.url).toBe(`http://127.0.0.1:${fx.shell.port}/?token=${fx.shell.token}`);
    expect(fx.shell.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 401 without a token and 403 with a wrong one', async () => {
    const missing = await invoke(fx.shell.port, '', 'app:info');
    expect(missing.status).toBe(401);
    expect(missing.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrong = await invoke(fx.shell.port, 'f'.repeat(64), 'app:info');
    expect(wrong.status).toBe(403);
    expect(wrong.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('does not take the token from the query string for commands', async () => {
    const res = await send(fx.shell.port, {
      method: 'POST',
      path: `/api/invoke/app:info?token=${fx.shell.token}`,
      headers: { 'content-type': 'application/json' },
      body: '[]',
    });
    expect(res.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the right token', async () => {
    const res = await invoke(fx.shell.port, fx.shell.token, 'app:info', [], {
      host: `evil.example:${fx.shell.port}`,
    });
    expect(res.status).toBe(403);
    const wrongPort = await invoke(fx.shell.port, fx.shell.token, 'app:info', [], {
      host: `127.0.0.1:${fx.shell.port + 1}`,
    });
    expect(wrongPort.status).toBe(403);
  });

  it('accepts localhost:<port> as Host', async () => {
    const res = await invoke(fx.shell.port, fx.shell.token, 'app:info', [], {
      host: `localhost:${fx.shell.port}`,
    });
    expect(res.status).toBe(200);
  });

  it('refuses a foreign Origin and accepts its own', async () => {
    const foreign = await invoke(fx.shell.port, fx.shell.token, 'app:info', [], {
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    const own = await invoke(fx.shell.port, fx.shell.token, 'app:info', [], {
      origin: `http://127.0.0.1:${fx.shell.port}`,
    });
    expect(own.status).toBe(200);
  });

  it('refuses the page itself to a foreign Host', async () => {
    const res = await send(fx.shell.port, {
      path: `/?token=${fx.shell.token}`,
      headers: { host: 'attacker.example' },
    });
    expect(res.status).toBe(403);
    expect(res.text).not.toContain(fx.shell.token);
  });
});
