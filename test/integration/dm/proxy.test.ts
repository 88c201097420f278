import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDmClient, type DmClient } from '../../../src-main/dm/client';
import { DmNetworkError } from '../../../src-main/dm/errors';
import { closedPort, json, startCapture, startConnectProxy } from './local-servers';
import { everythingVisible, KEY } from './secrets';
import { makeCerts, type TestCerts } from './test-certs';

// The service is HTTPS, as every real region is (a proxy is only ever used for https:// targets);
// a plain-HTTP twin checks that http:// never goes through a proxy.
let certs: TestCerts;
let server: Awaited<ReturnType<typeof startCapture>>;
let plain: Awaited<ReturnType<typeof startCapture>>;
let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
const clients: DmClient[] = [];
// A made-up, non-loopback host name that only the test proxy knows how to reach.
const FAKE_HOST = 'sandbox.firmdrop.invalid';

function client(
  baseUrl: string,
  extra: Partial<Parameters<typeof createDmClient>[0]> = {},
): DmClient {
  const c = createDmClient({
    baseUrl,
    apiKey: KEY,
    env: {},
    timeoutMs: 5000,
    retry: { maxAttempts: 1 },
    extraCaPem: certs.caPem,
    ...extra,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  certs = makeCerts([FAKE_HOST]);
  const account = () => ({ id: 'a', tier: '0', status: 'ACTIVE' });
  server = await startCapture((_req, res) => json(res, 200, account()), undefined, certs);
  plain = await startCapture((_req, res) => json(res, 200, account()));
  proxy = await startConnectProxy((host, port) =>
    host === 'refused.invalid' ? 'refuse' : host === FAKE_HOST ? ['127.0.0.1', port] : [host, port],
  );
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  proxy.tunnels.length = 0;
  proxy.proxyAuth.length = 0;
  proxy.forwarded.length = 0;
  server.requests.length = 0;
  plain.requests.length = 0;
});
afterAll(async () => {
  await proxy.close();
  await server.close();
  await plain.close();
});

describe('proxy', () => {
  it('an explicit proxyUrl carries requests, even to a loopback target', async () => {
    const dm = client(server.url, { proxyUrl: proxy.url, connections: 1 });
    expect(dm.proxy).toEqual({ url: proxy.url, source: 'explicit' });
    await dm.getMyAccount();
    await dm.getMyAccount();
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`]); // one kept-alive tunnel
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('HTTPS_PROXY from the environment carries requests to a non-loopback host', async () => {
    const dm = client(`https://${FAKE_HOST}:${server.port}`, { env: { HTTPS_PROXY: proxy.url } });
    expect(dm.proxy?.source).toBe('env');
    await expect(dm.getMyAccount()).resolves.toMatchObject({ tier: '0' });
    expect(proxy.tunnels).toEqual([`${FAKE_HOST}:${server.port}`]);
    expect(server.requests[0]?.headers.host).toBe(`${FAKE_HOST}:${server.port}`);
  });

  it('an http:// base URL goes direct even with an explicit proxy: the key never crosses it', async () => {
    const dm = client(plain.url, { proxyUrl: proxy.url });
    expect(dm.proxy).toBeNull();
    await dm.getMyAccount();
    expect(plain.requests).toHaveLength(1);
    expect(plain.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(proxy.tunnels).toEqual([]);
    expect(proxy.forwarded).toEqual([]);
    expect(proxy.proxyAuth).toEqual([]);
  });

  it('an http:// base URL to another machine is refused before any request, so no proxy sees it', () => {
    // One base-URL rule (core/base-url): plain http only for this computer, never via a proxy.
    expect(() =>
      client(`http://${FAKE_HOST}:${plain.port}`, {
        env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url },
      }),
    ).toThrow(/must start with https:\/\//);
    expect(proxy.tunnels).toEqual([]);
    expect(proxy.forwarded).toEqual([]);
  });

  it('an environment proxy is never used for loopback', async () => {
    const dm = client(server.url, { env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url } });
    expect(dm.proxy).toBeNull();
    await dm.getMyAccount();
    expect(proxy.tunnels).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('NO_PROXY bypasses the environment proxy (the made-up host then fails to resolve: sent none)', async () => {
    const dm = client(`https://${FAKE_HOST}:${server.port}`, {
      env: { HTTPS_PROXY: proxy.url, NO_PROXY: '.invalid' },
    });
    const err = await dm.getMyAccount().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DmNetworkError);
    expect((err as DmNetworkError).sent).toBe('none');
    expect(proxy.tunnels).toEqual([]);
  });

  it('proxyUrl: null ignores the environment', async () => {
    const dm = client(server.url, { proxyUrl: null, env: { HTTPS_PROXY: 'http://127.0.0.1:1' } });
    await dm.getMyAccount();
    expect(server.requests).toHaveLength(1);
  });

  it('sends proxy credentials from the URL, and never shows them', async () => {
    const dm = client(server.url, {
      proxyUrl: proxy.url.replace('http://', 'http://tech:pr0xy-pass@'),
    });
    await dm.getMyAccount();
    expect(proxy.proxyAuth[0]).toBe(`Basic ${Buffer.from('tech:pr0xy-pass').toString('base64')}`);
    // The service itself never sees the proxy credentials.
    expect(server.requests[0]?.headers['proxy-authorization']).toBeUndefined();
  });

  it('a proxy that refuses the tunnel: network error, sent none, points at the proxy settings', async () => {
    const dm = client('https://refused.invalid:443', {
      proxyUrl: proxy.url.replace('http://', 'http://tech:pr0xy-pass@'),
    });
    const err = (await dm.getMyAccount().catch((e: unknown) => e)) as DmNetworkError;
    expect(err).toBeInstanceOf(DmNetworkError);
    expect(err.sent).toBe('none');
    expect(err.message).toContain('the proxy refused');
    expect(err.message).toContain('proxy settings');
    const visible = everythingVisible(err);
    expect(visible).not.toContain('pr0xy-pass');
    expect(visible).not.toContain(KEY);
  });

  it('a proxy that is down: connection refused, sent none', async () => {
    const port = await closedPort();
    const err = (await client(server.url, { proxyUrl: `http://127.0.0.1:${port}` })
      .getMyAccount()
      .catch((e: unknown) => e)) as DmNetworkError;
    expect(err.code).toBe('network');
    expect(err.sent).toBe('none');
  });

  it('refuses a proxy URL that is not http(s)', () => {
    expect(() => client(server.url, { proxyUrl: 'socks5://127.0.0.1:1080' })).toThrow(
      /http:\/\/ or https:\/\//,
    );
    expect(() => client(server.url, { proxyUrl: 'not a url' })).toThrow(/not a valid URL/);
  });
});
