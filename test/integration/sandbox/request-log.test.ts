import { describe, expect, it } from 'vitest';
import { adminCall, api } from '../../helpers/sandbox-client';
import { useSandbox } from '../../helpers/sandbox-fixture';

const sandbox = useSandbox({ accounts: [{ key: 'k', tier: '0' }], latencyMs: 0 });

/** Resolves once the log holds a request for which `test` holds (asked on every event-loop turn). */
async function whenLogged(test: (r: { path: string; answered: number | null }) => boolean) {
  for (;;) {
    if (sandbox().requests().some(test)) return;
    await new Promise((r) => setImmediate(r));
  }
}

describe('the request log', () => {
  it('orders arrivals and answers on one counter: a held request overlaps a quick one', async () => {
    const sb = sandbox();
    sb.clearRequests();
    sb.faults.inject({ kind: 'delay', ms: 300, path: '^/v3/accounts/me' });
    const held = api(sb.url, 'k', 'GET', '/v3/accounts/me');
    await whenLogged((r) => r.path === '/v3/accounts/me');
    const quick = await api(sb.url, 'k', 'GET', '/v3/firmware-images/?limit=2');
    expect(quick.status).toBe(200);
    expect((await held).status).toBe(200);
    const [me, list] = sb.requests();
    expect(me).toMatchObject({ method: 'GET', path: '/v3/accounts/me' });
    expect(list).toMatchObject({ path: '/v3/firmware-images/', query: { limit: '2' } });
    // me arrived, list arrived and was answered, then me was answered.
    const order = [me!.arrived, list!.arrived, list!.answered!, me!.answered!];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('gives each record wall-clock times, and serves the log to other processes', async () => {
    const sb = sandbox();
    sb.clearRequests();
    sb.faults.inject({ kind: 'delay', ms: 50, path: '^/v3/accounts/me' });
    const before = Date.now();
    await api(sb.url, 'k', 'GET', '/v3/accounts/me');
    const after = Date.now();
    const [me] = sb.requests();
    expect(me!.arrivedAtMs).toBeGreaterThanOrEqual(before);
    expect(me!.answeredAtMs).toBeLessThanOrEqual(after);
    // Held 50 ms before its answer: the two times are that far apart at least.
    expect(me!.answeredAtMs! - me!.arrivedAtMs).toBeGreaterThanOrEqual(49);
    const served = await adminCall(sb, 'GET', 'requests');
    expect(served.status).toBe(200);
    expect((served.json as { requests: unknown[] }).requests).toEqual(sb.requests());
  });

  it('leaves admin calls out, and clearRequests empties it', async () => {
    const sb = sandbox();
    sb.clearRequests();
    await adminCall(sb, 'GET', 'state');
    expect(sb.requests()).toEqual([]);
    await api(sb.url, 'k', 'GET', '/v3/accounts/me');
    expect(sb.requests()).toHaveLength(1);
    sb.clearRequests();
    expect(sb.requests()).toEqual([]);
  });
});
