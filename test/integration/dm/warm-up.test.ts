import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import { createDmClient, type DmClient } from '../../../src-main/dm/client';

const KEY = 'ak_warm_0123456789';
let sb: Sandbox | undefined;
let dm: DmClient | undefined;
afterEach(async () => {
  await dm?.close();
  await sb?.close();
  dm = sb = undefined;
});

async function tlsSandbox(rttMs: number): Promise<{ sb: Sandbox; dm: DmClient }> {
  sb = await startSandbox({ tls: true, latencyMs: rttMs, accounts: [{ key: KEY, tier: '1' }] });
  dm = createDmClient({ baseUrl: sb.url, apiKey: KEY, extraCaPem: sb.caCertPem ?? '' });
  return { sb, dm };
}

/** Three requests at once, as the pre-flight sends them. */
const preflightLike = (dm: DmClient) =>
  Promise.all([
    dm.countImages(),
    dm.listImages({ name__in: 'a', limit: 2 }),
    dm.listUploadJobs({ name__in: 'a', limit: 2 }),
  ]);

describe('connections opened ahead (warmUp)', () => {
  it('the requests that follow find their handshakes done: no connection is opened for them', async () => {
    const { sb, dm } = await tlsSandbox(30);
    dm.warmUp(2);
    await dm.getMyAccount();
    const before = sb.stats().link;
    expect(before.connections).toBe(3);
    await preflightLike(dm);
    const after = sb.stats().link;
    expect(after.connections).toBe(3);
    // Each warm connection's handshake was over long before its first request: nothing waited.
    expect(after.handshakeWaitMs).toBe(before.handshakeWaitMs);
  });

  it('without it, two of the three open new connections and wait for their handshakes', async () => {
    const { sb, dm } = await tlsSandbox(30);
    await dm.getMyAccount();
    const before = sb.stats().link;
    await preflightLike(dm);
    const after = sb.stats().link;
    expect(after.connections).toBe(before.connections + 2);
    expect(after.handshakeWaitMs).toBeGreaterThan(before.handshakeWaitMs);
  });
});

describe("the client's round-trip estimate (sizes the first chunk)", () => {
  it('takes out the handshakes a new connection waited for', async () => {
    const { dm } = await tlsSandbox(100);
    expect(dm.roundTripMs()).toBeNull();
    // TCP, TLS 1.3 and the request: three modelled round trips, one of which is the link's.
    await dm.getMyAccount();
    // Uncorrected it would be 300 ms or more; a loaded machine adds to each of the three thirds.
    expect(dm.roundTripMs()).toBeGreaterThanOrEqual(95);
    expect(dm.roundTripMs()).toBeLessThan(250);
  });
});
