import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY,
  registerAppScheme,
  serveRenderer,
} from '../../../src-main/shells/electron/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/shells/web';

// Electron cannot run here: `protocol` is a double that records the registration and hands back
// the handler, which then answers real requests for files of a real (temporary) bundle.
function setup() {
  const root = mkdtempSync(join(tmpdir(), 'firmdrop-app-protocol-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Firmdrop</title>');
  writeFileSync(join(rendererDir, 'assets/index-abc.js'), 'export {};');
  writeFileSync(join(root, 'secret.txt'), 'outside the bundle');
  const privileged: unknown[] = [];
  const handlers = new Map<string, (request: Request) => Promise<Response> | Response>();
  const protocol = {
    registerSchemesAsPrivileged: (schemes: unknown[]) => void privileged.push(...schemes),
    handle: (scheme: string, h: (request: Request) => Promise<Response>) =>
      void handlers.set(scheme, h),
  };
  registerAppScheme(protocol);
  serveRenderer(protocol, { rendererDir, readFile });
  const get = async (url: string, method = 'GET') =>
    handlers.get('app')!({ url, method } as Request);
  return { privileged, handlers, get };
}

describe('app:// protocol', () => {
  it('registers app as a standard, secure scheme and serves it', () => {
    const { privileged, handlers } = setup();
    expect(privileged).toEqual([
      {
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      },
    ]);
    expect([...handlers.keys()]).toEqual(['app']);
    expect(APP_ENTRY).toBe('app://firmdrop/index.html');
  });

  it('sends the page with the same Content-Security-Policy header as the web shell', async () => {
    const { get } = setup();
    const page = await get(APP_ENTRY);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>Firmdrop</title>');
    const script = await get('app://firmdrop/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves only files of the bundle', async () => {
    const { get } = setup();
    for (const url of [
      'app://firmdrop/%2e%2e/secret.txt',
      'app://firmdrop/assets%2f..%2f..%2fsecret.txt',
      'app://firmdrop/..%5csecret.txt',
    ]) {
      // Either the URL parser already folded the '..' away (404) or the guard refused it (403).
      const res = await get(url);
      expect([403, 404], url).toContain(res.status);
      expect(await res.text()).not.toContain('outside the bundle');
    }
    expect((await get('app://firmdrop/missing.js')).status).toBe(404);
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get(APP_ENTRY, 'POST')).status).toBe(405);
  });

  it('matches the meta tag the page carries (header adds only frame-ancestors)', () => {
    const html = readFileSync(join(__dirname, '../../../src-renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(`${meta}; frame-ancestors 'none'`).toBe(CONTENT_SECURITY_POLICY);
  });
});
