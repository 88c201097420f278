import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestLowerBoundMs, startSandbox, type Sandbox } from '../../../src-sandbox';

/**
 * The link model seen from a client: requests over HTTPS to a TLS sandbox, timed from the call
 * to the answer. Only lower bounds are asserted (a busy machine may be slower, never faster);
 * what the model charged comes from the sandbox's own accounting (stats().link).
 */
const RTT = 80;
let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ tls: true, latencyMs: RTT, accounts: [{ key: 'k', tier: '1' }] });
});
afterAll(() => sb.close());

function send(
  agent: Agent,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; ms: number; json: unknown }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${sb.url}${path}`,
      {
        method,
        agent,
        headers: {
          authorization: 'Bearer k',
          ...(body ? { 'content-length': String(body.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - t0,
            json: text ? (JSON.parse(text) as unknown) : null,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const keptAlive = () =>
  new Agent({ keepAlive: true, maxSockets: 1, ca: sb.caCertPem ?? undefined });

describe('the link model', () => {
  it('charges a new connection its handshake once, and every request its round trip', async () => {
    const agent = keptAlive();
    try {
      const before = sb.stats().link;
      const first = await send(agent, 'GET', '/v3/accounts/me');
      expect(first.status).toBe(200);
      const afterFirst = sb.stats().link;
      expect(afterFirst.connections).toBe(before.connections + 1);
      // TCP + TLS 1.3 = 2 round trips, then the request's own.
      const bound = requestLowerBoundMs({
        bodyBytes: 0,
        rttMs: RTT,
        rateBytesPerSec: null,
        newConnection: true,
        tls: '1.3',
      });
      expect(bound).toBe(3 * RTT);
      expect(first.ms).toBeGreaterThanOrEqual(bound - 2);
      expect(afterFirst.handshakeWaitMs - before.handshakeWaitMs).toBeGreaterThan(RTT);

      const second = await send(agent, 'GET', '/v3/accounts/me');
      expect(second.status).toBe(200);
      expect(second.ms).toBeGreaterThanOrEqual(RTT - 2);
      const afterSecond = sb.stats().link;
      // The kept-alive connection: no new connection, no handshake charged again.
      expect(afterSecond.connections).toBe(afterFirst.connections);
      expect(afterSecond.handshakeWaitMs).toBe(afterFirst.handshakeWaitMs);
      expect(afterSecond.roundTripWaitMs - afterFirst.roundTripWaitMs).toBe(RTT);
    } finally {
      agent.destroy();
    }
  });

  it('TLS 1.2 costs one more handshake round trip than TLS 1.3', async () => {
    sb.setTlsVersion('1.2');
    const agent = keptAlive();
    try {
      const r = await send(agent, 'GET', '/v3/accounts/me');
      expect(r.status).toBe(200);
      const bound = requestLowerBoundMs({
        bodyBytes: 0,
        rttMs: RTT,
        rateBytesPerSec: null,
        newConnection: true,
        tls: '1.2',
      });
      expect(bound).toBe(4 * RTT);
      expect(r.ms).toBeGreaterThanOrEqual(bound - 2);
    } finally {
      agent.destroy();
      sb.setTlsVersion(null);
    }
  });

  it('holds a body on a new connection for slow start, and not on the warmed connection', async () => {
    const agent = keptAlive();
    try {
      const job = await send(
        agent,
        'POST',
        '/v3/firmware-images/upload-jobs',
        Buffer.from(JSON.stringify({ name: `link-${Date.now()}` })),
        { 'content-type': 'application/json' },
      );
      expect(job.status).toBe(201);
      const id = (job.json as { id: string }).id;
      // The job's create was this connection's first request: its body (a few bytes) fit the
      // initial window. A 1 MiB chunk next needs 7 windows (14 600 × 127 ≥ 1 MiB): 6 waits.
      const data = randomBytes(2 ** 20);
      const md5 = createHash('md5').update(data).digest('base64');
      const before = sb.stats().link;
      const chunk = await send(
        agent,
        'POST',
        `/v3/firmware-images/upload-jobs/${id}/chunks`,
        data,
        {
          'content-type': 'binary/octet-stream',
          'content-md5': md5,
        },
      );
      expect(chunk.status).toBe(201);
      const waited = sb.stats().link.slowStartWaitMs - before.slowStartWaitMs;
      expect(chunk.ms).toBeGreaterThanOrEqual(RTT + 5 * RTT);
      // The wall time above is the model's promise; the charged waits can come out lower on a
      // loaded machine (a late timer shortens the next computed wait), but never near zero.
      expect(waited).toBeGreaterThanOrEqual(2 * RTT);

      // The window it grew is kept: the same chunk again fits without waiting.
      const again = await send(
        agent,
        'POST',
        `/v3/firmware-images/upload-jobs/${id}/chunks`,
        data,
        {
          'content-type': 'binary/octet-stream',
          'content-md5': md5,
        },
      );
      expect(again.status).toBe(201);
      expect(sb.stats().link.slowStartWaitMs - before.slowStartWaitMs).toBe(waited);
    } finally {
      agent.destroy();
    }
  });

  it('is set through the admin API: RTT, rate and TLS version, refused when out of range', async () => {
    const agent = keptAlive();
    const admin = { 'x-sandbox-admin': sb.adminToken, 'content-type': 'application/json' };
    const put = (body: unknown) =>
      send(agent, 'PUT', '/__sandbox/settings', Buffer.from(JSON.stringify(body)), admin);
    try {
      const set = await put({ latencyMs: 40, bandwidthBytesPerSec: 1_000_000, tlsVersion: '1.2' });
      expect(set.status).toBe(200);
      expect(set.json).toMatchObject({
        latencyMs: 40,
        bandwidthBytesPerSec: 1_000_000,
        tlsVersion: '1.2',
      });
      expect((await put({ tlsVersion: '1.1' })).status).toBe(400);
      expect(
        (await put({ tlsVersion: null, latencyMs: RTT, bandwidthBytesPerSec: null })).status,
      ).toBe(200);
    } finally {
      agent.destroy();
      sb.setTlsVersion(null);
    }
  });
});
