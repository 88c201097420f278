import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/shells/web';
import { send } from './http-client';
import { startFixture } from './fixture';
import type { Fixture } from './fixture';

describe('web shell static files', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(() => fx.close());

  it('serves the page marked as the web shell’s, without the token, and the CSP as a header', async () => {
    const res = await send(fx.shell.port, { path: `/?token=${fx.shell.token}` });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(res.text).toContain('<meta name="firmdrop-shell" content="web" />');
    expect(res.text).not.toContain(fx.shell.token);
    expect(res.text).not.toMatch(/<script>/);
  });

  it('serves the page only to a holder of the token', async () => {
    const res = await send(fx.shell.port, { path: '/' });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(fx.shell.token);
  });

  it('serves assets with their content types and the CSP header', async () => {
    const js = await send(fx.shell.port, { path: '/assets/app.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    const css = await send(fx.shell.port, { path: '/assets/app.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.text).toBe('body { margin: 0; }\n');
  });

  it('refuses path traversal, raw or encoded', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00index.html',
    ]) {
      const res = await send(fx.shell.port, { path });
      expect([403, 404], path).toContain(res.status);
      expect(res.text, path).not.toContain('outside the renderer');
    }
  });

  it('answers 404 for a missing file and 405 for a POST', async () => {
    expect((await send(fx.shell.port, { path: '/nope.js' })).status).toBe(404);
    expect((await send(fx.shell.port, { method: 'POST', path: '/assets/app.js' })).status).toBe(
      405,
    );
  });

  it('answers 404 for an unknown API path', async () => {
    const res = await send(fx.shell.port, {
      path: '/api/nothing',
      headers: { 'x-firmdrop-token': fx.shell.token },
    });
    expect(res.status).toBe(404);
  });
});
