import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { send } from './http-client';
import type { RawResponse } from './http-client';
import { startFixture } from './fixture';
import type { Fixture } from './fixture';

/**
 * Item 3 of issue 11: the token in the printed URL is traded, once, for an HttpOnly SameSite=Strict
 * session cookie; the API then takes the cookie (or the token in a header, for programs), never
 * the token in a URL; a session unused for the idle limit is refused.
 */
const info = {
  version: '9',
  online: true,
  outages: [],
  keychain: { ok: true },
  notices: [],
} as const;
let fx: Fixture;
afterEach(() => fx.close());

const start = (sessionIdleMs?: number) =>
  startFixture(
    { 'app:info': async () => ({ ok: true, value: { ...info, outages: [], notices: [] } }) },
    {},
    sessionIdleMs === undefined ? {} : { sessionIdleMs },
  );

async function openPage(): Promise<{ page: RawResponse; cookie: string }> {
  const page = await send(fx.shell.port, { path: `/?token=${fx.shell.token}` });
  const setCookie = page.headers['set-cookie']?.[0] ?? '';
  return { page, cookie: setCookie.split(';')[0] ?? '' };
}

const callWith = (headers: Record<string, string>, path = '/api/invoke/app:info') =>
  send(fx.shell.port, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body: '[]',
  });

function streamStatus(
  headers: Record<string, string>,
): Promise<{ status: number; ended: Promise<void>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: fx.shell.port,
        path: '/api/events',
        headers: { host: `127.0.0.1:${fx.shell.port}`, ...headers },
      },
      (res) => {
        res.resume();
        const ended = new Promise<void>((done) => res.on('close', () => done()));
        resolve({ status: res.statusCode ?? 0, ended, close: () => req.destroy() });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('web shell session cookie', () => {
  it('trades the token in the page URL for an HttpOnly, SameSite=Strict, Path=/ cookie', async () => {
    fx = await start();
    const { page, cookie } = await openPage();
    expect(page.status).toBe(200);
    const setCookie = page.headers['set-cookie'] ?? [];
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(
      new RegExp(
        `^firmdrop_session_${fx.shell.port}=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=/$`,
      ),
    );
    // The cookie is a session id of its own, not the token; the page holds neither.
    expect(cookie).not.toContain(fx.shell.token);
    expect(page.text).not.toContain(fx.shell.token);
    expect(page.text).not.toContain(cookie.split('=')[1]);

    // Reloading the page (no token in the address any more) works on the cookie alone.
    const reload = await send(fx.shell.port, { path: '/', headers: { cookie } });
    expect(reload.status).toBe(200);
    expect(reload.headers['set-cookie']).toBeUndefined();
  });

  it('authenticates commands and the event stream by the cookie', async () => {
    fx = await start();
    const { cookie } = await openPage();
    const res = await callWith({ cookie });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, value: { version: '9' } });
    const stream = await streamStatus({ cookie });
    expect(stream.status).toBe(200);
    stream.close();
  });

  it('refuses a request with no cookie and no token, a made-up cookie, and a token in the URL', async () => {
    fx = await start();
    const none = await callWith({});
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const madeUp = await callWith({
      cookie: `firmdrop_session_${fx.shell.port}=${'0'.repeat(64)}`,
    });
    expect(madeUp.status).toBe(401);
    const inUrl = await callWith({}, `/api/invoke/app:info?token=${fx.shell.token}`);
    expect(inUrl.status).toBe(401);
    expect((await streamStatus({})).status).toBe(401);
    expect((await send(fx.shell.port, { path: '/' })).status).toBe(401);
    expect((await send(fx.shell.port, { path: `/?token=${'f'.repeat(64)}` })).status).toBe(403);
  });

  it('ends a session left idle past its limit: API 401 says to reopen the printed address', async () => {
    fx = await start(400);
    const { cookie } = await openPage();
    // Use keeps it alive well past the limit...
    for (let i = 0; i < 5; i++) {
      await wait(150);
      expect((await callWith({ cookie })).status).toBe(200);
    }
    const stream = await streamStatus({ cookie });
    expect(stream.status).toBe(200);
    // ...idleness ends it: commands, the page and the open event stream alike.
    await wait(600);
    const late = await callWith({ cookie });
    expect(late.status).toBe(401);
    expect(late.json()).toMatchObject({
      ok: false,
      error: {
        code: 'unauthorized',
        message: expect.stringMatching(
          /without use: open the address that "firmdrop web" printed again/,
        ),
      },
    });
    await stream.ended;
    expect((await send(fx.shell.port, { path: '/', headers: { cookie } })).status).toBe(401);
    // The printed address opens a new session.
    const again = await openPage();
    expect(again.cookie).not.toBe(cookie);
    expect((await callWith({ cookie: again.cookie })).status).toBe(200);
  });
});
