import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxRequestRecord } from '../../../src-sandbox';
import { MiB } from '../../../src-main/core/limits';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { envCredentials, json, runCli, useBuiltCli, useScratch } from './cli-fixture';

const KEY = 'ak_cli_env_preflight_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });
const scratch = useScratch();

const isMe = (r: SandboxRequestRecord) => r.path === '/v3/accounts/me';
const isLookup = (r: SandboxRequestRecord) =>
  r.method === 'GET' &&
  (r.query.include === 'total_count' || 'name__in' in r.query || 'name__eq' in r.query);

// With FIRMDROP_API_KEY the CLI must ask accounts/me which account the key is before it
// journals anything; the pre-flight's look-ups do not depend on that answer.
describe('firmdrop upload with FIRMDROP_API_URL/KEY', () => {
  it('sends the pre-flight look-ups beside accounts/me, and each only once', async () => {
    const sb = sandbox();
    // A round trip long enough that requests sent one after the other cannot overlap.
    sb.faults.setLatency(100);
    try {
      const f = scratch.file('fw-env-ahead.bin', 1 * MiB);
      sb.clearRequests();
      const r = await runCli(
        cli(),
        ['--data-dir', join(scratch.dir(), 'data'), 'upload', f.path, '--json'],
        { env: envCredentials(sb.url, KEY) },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(json(r)[0]).toMatchObject({ state: 'done', verified: true });
      const seen = sb.requests();
      const me = seen.filter(isMe);
      const lookups = seen.filter(isLookup);
      expect(me).toHaveLength(1);
      // One quota read and one name look-up on each list: taken from the early answers, not
      // asked again by the pre-flight.
      expect(lookups.map((l) => [l.path, l.query.include ?? 'names'])).toEqual(
        expect.arrayContaining([
          ['/v3/firmware-images/', 'total_count'],
          ['/v3/firmware-images/', 'names'],
          ['/v3/firmware-images/upload-jobs', 'names'],
        ]),
      );
      expect(lookups).toHaveLength(3);
      // All of them were on their way before accounts/me was answered.
      for (const l of lookups) expect(l.arrived).toBeLessThan(me[0]!.answered!);
    } finally {
      sb.faults.setLatency(0);
    }
  });
});
