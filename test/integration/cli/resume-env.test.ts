import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { envCredentials, json, runCli, useBuiltCli, useScratch, type Env } from './cli-fixture';

const KEY_A = 'ak_cli_resume_env_a_0123456789';
const KEY_B = 'ak_cli_resume_env_b_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({
  accounts: [
    { key: KEY_A, tier: '1' },
    { key: KEY_B, tier: '1' },
  ],
});
const scratch = useScratch();

// No credentials and no session bus: nothing may reach for a key it does not have.
const NONE: Env = { DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined };

describe('firmdrop resume and uploads made with FIRMDROP_API_URL/KEY', () => {
  it('skips them, saying why, without the same variables; finishes them with', async () => {
    const dataDir = join(scratch.dir(), 'data');
    const run = (env: Env, ...a: string[]) => runCli(cli(), ['--data-dir', dataDir, ...a], { env });
    const a = envCredentials(sandbox().url, KEY_A);
    // Both uploads fail for good at their first chunk: unfinished work of the environment account.
    sandbox().faults.inject({
      kind: 'status',
      status: 400,
      method: 'POST',
      path: /chunks$/,
      times: 2,
    });
    const f = scratch.file('env-one.bin', 9 * MiB);
    const g = scratch.file('env-two.bin', 9 * MiB);
    expect((await run(a, 'upload', f.path, g.path, '--chunk-size', '5')).code).toBe(1);
    const rows = json(await run(NONE, 'uploads', '--json'));
    expect(rows.map((r: { state: string }) => r.state)).toEqual(['failed', 'failed']);
    const url = sandbox().url.replace(/\/$/, '');

    const without = await run(NONE, 'resume');
    expect(without.code).toBe(1);
    expect(without.stderr).toBe(
      `firmdrop: 2 uploads were started with FIRMDROP_API_URL=${url}; set FIRMDROP_API_URL and FIRMDROP_API_KEY again (as they were then) to resume them.\n`,
    );
    const one = await run(NONE, 'resume', rows[0].id);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain(
      `was started with FIRMDROP_API_URL=${url}; set FIRMDROP_API_URL and FIRMDROP_API_KEY again`,
    );

    // The same URL with another account's key is not the account that started them.
    const other = await run(envCredentials(sandbox().url, KEY_B), 'resume');
    expect(other.code).toBe(1);
    expect(other.stderr).toBe(
      `firmdrop: 2 uploads were started with FIRMDROP_API_URL=${url} and another account’s FIRMDROP_API_KEY; set FIRMDROP_API_URL and FIRMDROP_API_KEY again (as they were then) to resume them.\n`,
    );
    expect(
      json(await run(NONE, 'uploads', '--json')).map((r: { state: string }) => r.state),
    ).toEqual(['failed', 'failed']);
    expect(sandbox().stats().jobsCompleted).toBe(0);

    const same = await run(a, 'resume', '--json');
    expect(same.code, same.stderr).toBe(0);
    const done = json(same);
    expect(done.map((r: { verified: boolean }) => r.verified)).toEqual([true, true]);
    expect(done.map((r: { datafile_checksum: string }) => r.datafile_checksum).sort()).toEqual(
      [f.sha256, g.sha256].sort(),
    );
    const after = await run(NONE, 'resume');
    expect(after.code).toBe(0);
    expect(after.stderr).toBe('firmdrop: nothing to resume.\n');
  });
});
