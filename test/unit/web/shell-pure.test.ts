import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkHostAndOrigin, checkToken, tokensEqual } from '../../../src-main/shells/web/guard';
import { isStagedRef, resolveStagedRef } from '../../../src-main/shells/web/staging';
import { injectToken, safeStaticPath } from '../../../src-main/shells/web/static';

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

  it('takes the token from the query only where allowed', () => {
    const url = new URL('http://127.0.0.1/api/events?token=abc');
    expect(checkToken(req({}), url, 'abc', { allowQuery: true }).ok).toBe(true);
    expect(checkToken(req({}), url, 'abc', { allowQuery: false })).toMatchObject({ status: 401 });
    expect(
      checkToken(req({ 'x-firmdrop-token': 'abd' }), url, 'abc', { allowQuery: true }),
    ).toMatchObject({
      status: 403,
    });
    expect(tokensEqual('abc', 'abcd')).toBe(false);
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

  it('injects the token as a meta tag inside head, no script', () => {
    const html = injectToken('<html><head><title>x</title></head><body></body></html>', 'f00d');
    expect(html).toMatch(/<meta name="firmdrop-token" content="f00d" \/>\s*<\/head>/);
    expect(html).not.toContain('<script');
  });

  it('recognises only its own ref shape and never resolves a path', () => {
    expect(isStagedRef(`stg_${'a'.repeat(32)}`)).toBe(true);
    expect(isStagedRef('/etc/passwd')).toBe(false);
    expect(isStagedRef(`stg_${'a'.repeat(32)}/../x`)).toBe(false);
    expect(resolveStagedRef('/tmp', '../etc/passwd')).toBeNull();
  });
});
