import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkHostAndOrigin, tokensEqual } from '../../../src-main/shells/web/guard';
import { parseCookies, Sessions } from '../../../src-main/shells/web/session';
import { isStagedRef, resolveStagedRef } from '../../../src-main/shells/web/staging';
import { markWebShell, safeStaticPath } from '../../../src-main/shells/web/static';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('web shell guard (pure parts)', () => {
  it('accepts only 127.0.0.1 and localhost on the shell’s own port', () => {
    expect(checkHostAndOrigin(req({ host: '127.0.0.1:4000' }), 4000).ok).toBe(true);
    expect(checkHostAndOrigin(req({ host: 'LOCALHOST:4000' }), 4000).ok).toBe(true);
    expect(checkHostAndOrigin(req({ host: '127.0.0.1' }), 4000).ok).toBe(false);
    expect(checkHostAndOrigin(req({ host: '0.0.0.0:4000' }), 4000).ok).toBe(false);
    expect(checkHostAndOrigin(req({}), 4000).ok).toBe(false);
  });

  it('accepts an Origin only when it is the shell itself', () => {
    const host = { host: '127.0.0.1:4000' };
    expect(checkHostAndOrigin(req({ ...host, origin: 'http://localhost:4000' }), 4000).ok).toBe(
      true,
    );
    expect(checkHostAndOrigin(req({ ...host, origin: 'https://127.0.0.1:4000' }), 4000).ok).toBe(
      false,
    );
    expect(checkHostAndOrigin(req({ ...host, origin: 'null' }), 4000).ok).toBe(false);
  });

  it('compares tokens whole', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abcd')).toBe(false);
  });
});

describe('web shell sessions (pure parts)', () => {
  const PORT = 4000;
  const page = (query: string, cookie?: string) =>
    [req(cookie ? { cookie } : {}), new URL(`http://127.0.0.1/${query}`), PORT] as const;

  it('opens a session only for the token in the page URL, as an HttpOnly SameSite=Strict cookie', () => {
    const sessions = new Sessions({ token: 'abc', idleMs: 1000 });
    expect(sessions.admit(...page(''))).toMatchObject({ ok: false, status: 401 });
    expect(sessions.admit(...page('?token=abd'))).toMatchObject({ ok: false, status: 403 });
    const opened = sessions.admit(...page('?token=abc'));
    if (!opened.ok || !opened.setCookie) throw new Error('no session opened');
    expect(opened.setCookie).toMatch(
      /^firmdrop_session_4000=[0-9a-f]{64}; HttpOnly; SameSite=Strict; Path=\/$/,
    );
    const cookie = opened.setCookie.split(';')[0] ?? '';
    expect(sessions.admit(...page('', cookie))).toEqual({ ok: true, setCookie: null });
    expect(sessions.authorize(req({ cookie }), PORT)).toMatchObject({ ok: true });
    // Another port's cookie is another shell's.
    expect(sessions.authorize(req({ cookie }), PORT + 1)).toMatchObject({ status: 401 });
  });

  it('takes the token from the header, never from a cookie named like it', () => {
    const sessions = new Sessions({ token: 'abc', idleMs: 1000 });
    expect(sessions.authorize(req({ 'x-firmdrop-token': 'abc' }), PORT)).toEqual({
      ok: true,
      session: null,
    });
    expect(sessions.authorize(req({ 'x-firmdrop-token': 'abd' }), PORT)).toMatchObject({
      status: 403,
    });
    expect(sessions.authorize(req({ cookie: 'firmdrop_session_4000=abc' }), PORT)).toMatchObject({
      status: 401,
    });
  });

  it('ends a session after the idle limit without a request; each request restarts the limit', () => {
    let now = 0;
    const sessions = new Sessions({ token: 'abc', idleMs: 12 * 3_600_000, now: () => now });
    const opened = sessions.admit(...page('?token=abc'));
    const cookie = (opened.ok && opened.setCookie?.split(';')[0]) || '';
    for (let i = 0; i < 5; i++) {
      now += 11 * 3_600_000;
      expect(sessions.authorize(req({ cookie }), PORT).ok).toBe(true);
    }
    now += 12 * 3_600_000 + 1;
    const refused = sessions.authorize(req({ cookie }), PORT);
    expect(refused).toMatchObject({ ok: false, status: 401 });
    expect(refused.ok ? '' : refused.message).toBe(
      'This Firmdrop session ended after 12 hours without use: open the address that "firmdrop web" printed again.',
    );
    expect(sessions.authorize(req({ cookie }), PORT).ok).toBe(false);
  });

  it('reads cookies', () => {
    expect(parseCookies('a=1; firmdrop_session_1=x=y ;b')).toEqual(
      new Map([
        ['a', '1'],
        ['firmdrop_session_1', 'x=y'],
      ]),
    );
    expect(parseCookies(undefined).size).toBe(0);
  });
});

describe('web shell static and staging (pure parts)', () => {
  it('keeps every static path inside the renderer directory', () => {
    expect(safeStaticPath('/srv/r', '/assets/app.js')).toBe('/srv/r/assets/app.js');
    expect(safeStaticPath('/srv/r', '/../etc/passwd')).toBeNull();
    expect(safeStaticPath('/srv/r', '/a/%2e%2e/%2e%2e/x')).toBeNull();
    expect(safeStaticPath('/srv/r', '/%E0%A4%A')).toBeNull(); // malformed escape
    expect(safeStaticPath('/srv/r', '/x%00.js')).toBeNull();
  });

  it('marks the page as served by the web shell, with no token and no script', () => {
    const html = markWebShell('<html><head><title>x</title></head><body></body></html>');
    expect(html).toMatch(/<meta name="firmdrop-shell" content="web" \/>\s*<\/head>/);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('token');
  });

  it('recognises only its own ref shape and never resolves a path', () => {
    expect(isStagedRef(`stg_${'a'.repeat(32)}`)).toBe(true);
    expect(isStagedRef('/etc/passwd')).toBe(false);
    expect(isStagedRef(`stg_${'a'.repeat(32)}/../x`)).toBe(false);
    expect(resolveStagedRef('/tmp', '../etc/passwd')).toBeNull();
  });
});
