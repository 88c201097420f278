import { describe, expect, it } from 'vitest';
import { adminCall, api, http } from '../../helpers/sandbox-client';
import { useSandbox } from '../../helpers/sandbox-fixture';

const sandbox = useSandbox({ accounts: [{ key: 'k', tier: '0' }], latencyMs: 0 });
const ME = '/v3/accounts/me';

describe('admin endpoints under /__sandbox/', () => {
  it('need the admin token: 401 without it, 403 with a wrong one', async () => {
    const sb = sandbox();
    const none = await http(`${sb.url}/__sandbox/state`);
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ code: 401, object: 'error' });
    const wrong = await http(`${sb.url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'x-sandbox-admin': 'guess', 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'status', status: 500 }),
    });
    expect(wrong.status).toBe(403);
    expect(sb.faults.pending()).toBe(0);
    // An API key is not an admin token.
    const withKey = await http(`${sb.url}/__sandbox/state`, {
      headers: { 'x-sandbox-admin': 'k' },
    });
    expect(withKey.status).toBe(403);
  });

  it('inject faults (one or many, paths as regex sources) and clear them', async () => {
    const sb = sandbox();
    const one = await adminCall(sb, 'POST', 'faults', {
      kind: 'status',
      status: 502,
      path: '^/v3/accounts',
    });
    expect(one.status).toBe(201);
    expect(one.json).toEqual({ pending: 1 });
    const many = await adminCall(sb, 'POST', 'faults', [
      { kind: 'delay', ms: 1, times: 3 },
      { kind: 'reset', afterBytes: 10, method: 'PUT' },
    ]);
    expect(many.json).toEqual({ pending: 5 });
    expect((await api(sb.url, 'k', 'GET', ME)).status).toBe(502);
    expect((await adminCall(sb, 'GET', 'state')).json.pendingFaults).toBe(3);
    expect((await adminCall(sb, 'DELETE', 'faults')).status).toBe(204);
    expect(sb.faults.pending()).toBe(0);
  });

  it('refuse invalid faults with 400 and unknown endpoints with 404', async () => {
    const sb = sandbox();
    const bad = await adminCall(sb, 'POST', 'faults', { kind: 'status', status: 99 });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/status/);
    expect(
      (await adminCall(sb, 'POST', 'faults', [{ kind: 'delay', ms: 5 }, { kind: 'explode' }]))
        .status,
    ).toBe(400);
    expect(sb.faults.pending()).toBe(0); // all or nothing
    expect((await adminCall(sb, 'GET', 'nothing')).status).toBe(404);
  });

  it('set latency and bandwidth; clearing restores the start-up values', async () => {
    const sb = sandbox();
    const set = await adminCall(sb, 'PUT', 'settings', {
      latencyMs: 120,
      bandwidthBytesPerSec: 50_000,
    });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ latencyMs: 120, bandwidthBytesPerSec: 50_000 });
    const t0 = performance.now();
    await api(sb.url, 'k', 'GET', ME);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
    expect(
      (await adminCall(sb, 'PUT', 'settings', { bandwidthBytesPerSec: null })).json
        .bandwidthBytesPerSec,
    ).toBe(null);
    expect((await adminCall(sb, 'PUT', 'settings', { latencyMs: -1 })).status).toBe(400);
    await adminCall(sb, 'DELETE', 'faults');
    const state = (await adminCall(sb, 'GET', 'state')).json;
    expect(state).toMatchObject({ latencyMs: 0, bandwidthBytesPerSec: null, url: sb.url });
    expect(state.accounts).toEqual(sb.accounts);
  });

  it('are not counted as API requests and skip faults', async () => {
    const sb = sandbox();
    sb.faults.inject({ kind: 'status', status: 500 });
    const before = sb.stats().requests;
    expect((await adminCall(sb, 'GET', 'state')).status).toBe(200);
    expect(sb.stats().requests).toBe(before);
    expect(sb.faults.pending()).toBe(1);
  });
});
