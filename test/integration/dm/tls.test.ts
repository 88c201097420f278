import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDmClient, type DmClient } from '../../../src-main/dm/client';
import { DmNetworkError } from '../../../src-main/dm/errors';
import { startConnectProxy } from './local-servers';
import { KEY } from './secrets';
import { makeCerts, type TestCerts } from './test-certs';

let certs: TestCerts;
let server: Server;
let url: string;
const clients: DmClient[] = [];

function client(extra: Partial<Parameters<typeof createDmClient>[0]> = {}): DmClient {
  const c = createDmClient({
    baseUrl: url,
    apiKey: KEY,
    env: {},
    retry: { maxAttempts: 1 },
    ...extra,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  certs = makeCerts();
  server = createServer({ key: certs.key, cert: certs.cert }, (_req, res) => {
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ id: 'a', tier: '1', status: 'ACTIVE' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await new Promise<void>((r) => server.close(() => r()));
});

describe('TLS trust', () => {
  it('a certificate from an unknown CA is refused before anything is sent, with a CA hint', async () => {
    const err = (await client()
      .getMyAccount()
      .catch((e: unknown) => e)) as DmNetworkError;
    expect(err).toBeInstanceOf(DmNetworkError);
    expect(err.sent).toBe('none');
    expect(err.message).toContain('TLS certificate not trusted');
    expect(err.message).toContain('trust that CA: Settings → Network → Trusted CA certificate');
  });

  it('extraCaPem makes that CA trusted', async () => {
    await expect(client({ extraCaPem: certs.caPem }).getMyAccount()).resolves.toMatchObject({
      tier: '1',
    });
  });

  it('extraCaPem also applies through a proxy tunnel', async () => {
    const proxy = await startConnectProxy();
    try {
      const dm = client({ extraCaPem: certs.caPem, proxyUrl: proxy.url });
      await expect(dm.getMyAccount()).resolves.toMatchObject({ tier: '1' });
      expect(proxy.tunnels).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
