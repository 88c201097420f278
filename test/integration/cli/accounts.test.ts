import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKeytarStore } from '../../../src-main/secrets';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { json, runCli, runInTerminal, useBuiltCli, useScratch } from './cli-fixture';

const KEY = 'ak_cli_accounts_commercial_0123456789';
const FREE_KEY = 'ak_cli_accounts_free_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({
  accounts: [
    { key: KEY, tier: '1', name: 'Acme Devices' },
    { key: FREE_KEY, tier: '0' },
  ],
});
const scratch = useScratch();
// A keychain service of this file's own, in the private keyring npm test starts.
const service = `Firmdrop-cli-test-${randomUUID()}`;
const keychain = createKeytarStore({ service });
let n = 0;

beforeAll(async () => {
  const status = await keychain.probe();
  if (!status.ok) {
    throw new Error(
      `These tests need a working OS keychain; the probe said ${status.reason}: ${status.message}. Run them through npm test, which starts a private keyring.`,
    );
  }
});

function session() {
  const dataDir = join(scratch.dir(), `data-${++n}`);
  const env = { FIRMDROP_KEYCHAIN_SERVICE: service };
  return {
    dataDir,
    run: (args: string[], input?: string) =>
      runCli(cli(), ['--data-dir', dataDir, ...args], { env, input }),
  };
}

describe('firmdrop accounts, with the OS keychain', () => {
  it('adds an account with the key from stdin, lists, tests, uploads with it and removes it', async () => {
    const s = session();
    const add = await s.run(['accounts', 'add', 'sandbox', '--region', sandbox().url], `${KEY}\n`);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toBe(
      `Added account "sandbox" (Acme Devices, commercial tier) at ${sandbox().url}; its API key is in the OS keychain.\n`,
    );
    const [account] = json(await s.run(['accounts', 'list', '--json']));
    expect(account).toMatchObject({
      name: 'sandbox',
      base_url: sandbox().url,
      tier: '1',
      key: 'keychain',
      sandbox: false,
    });
    expect(await keychain.get(account.id)).toBe(KEY);

    const test = await s.run(['accounts', 'test', 'sandbox']);
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toContain('Account "sandbox": the API key works.');
    expect(test.stdout).toMatch(/display name:\s+Acme Devices/);
    expect(test.stdout).toMatch(/tier:\s+1 \(commercial\)/);
    expect(test.stdout).toMatch(/images:\s+\d+ of 1,000 used/);

    // The only account is used without --account; its key comes from the keychain.
    const f = scratch.file('stored.bin', 3000);
    const up = await s.run(['upload', f.path, '--json']);
    expect(up.code, up.stderr).toBe(0);
    expect(json(up)[0]).toMatchObject({
      account: 'sandbox',
      verified: true,
      datafile_checksum: f.sha256,
    });
    expect(json(await s.run(['accounts', 'test', '--json']))).toMatchObject({
      name: 'sandbox',
      images_limit: 1000,
    });

    for (const r of [add, test, up]) expect(r.stdout + r.stderr).not.toContain(KEY);
    const list = await s.run(['accounts', 'list']);
    expect(list.stdout).toMatch(
      /^NAME\s+DEFAULT\s+API\s+TIER\s+DISPLAY NAME\s+KEY\s+ADDED\nsandbox\s+\*\s+http:\/\/127\.0\.0\.1:\d+\s+commercial\s+Acme Devices\s+keychain\s+\d{4}/,
    );

    const rm = await s.run(['accounts', 'remove', 'sandbox']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stdout).toContain('Removed account "sandbox"');
    expect(json(await s.run(['accounts', 'list', '--json']))).toEqual([]);
    expect(await keychain.get(account.id)).toBeNull();
  });

  it('with several accounts, uses the first one (the default) unless --account names another', async () => {
    const s = session();
    expect((await s.run(['accounts', 'add', 'prod', '--region', sandbox().url], KEY)).code).toBe(0);
    expect(
      (await s.run(['accounts', 'add', 'trial', '--region', sandbox().url], FREE_KEY)).code,
    ).toBe(0);
    const f = scratch.file('which.bin', 100);
    const r = await s.run(['upload', f.path, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)[0]).toMatchObject({ account: 'prod', verified: true });
    const unknown = await s.run(['upload', f.path, '--account', 'staging']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'there is no account named "staging". Accounts: "prod", "trial".',
    );
    const ok = await s.run(['upload', f.path, '--account', 'trial', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(json(ok)[0]).toMatchObject({ account: 'trial', verified: true });
    const test = json(await s.run(['accounts', 'test', 'trial', '--json']));
    expect(test).toMatchObject({ tier: '0', tier_name: 'free', images_limit: 10 });
    expect(test.images_used).toBeGreaterThanOrEqual(1);
    for (const name of ['prod', 'trial'])
      expect((await s.run(['accounts', 'remove', name])).code).toBe(0);
  });

  it('refuses a wrong key, a taken name and a missing --region, keeping nothing', async () => {
    const s = session();
    const wrong = 'ak_not_a_real_key_987654321';
    const bad = await s.run(['accounts', 'add', 'bad', '--region', sandbox().url], wrong);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^firmdrop: 127\.0\.0\.1:\d+ refused this API key\./);
    expect(bad.stdout + bad.stderr).not.toContain(wrong);
    expect(json(await s.run(['accounts', 'list', '--json']))).toEqual([]);
    expect((await s.run(['accounts', 'add', 'x'], KEY)).code).toBe(2);
    expect((await s.run(['accounts', 'add', 'x', '--region', 'mars'], KEY)).stderr).toContain(
      '--region: "mars" is not a URL',
    );
    expect((await s.run(['accounts', 'add', 'env:x', '--region', 'eu'], KEY)).code).toBe(2);
    const empty = await s.run(['accounts', 'add', 'x', '--region', sandbox().url], '\n');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('No API key arrived on stdin');
    expect((await s.run(['accounts', 'add', 'dup', '--region', sandbox().url], KEY)).code).toBe(0);
    const dup = await s.run(['accounts', 'add', 'DUP', '--region', sandbox().url], KEY);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');
    expect((await s.run(['accounts', 'remove', 'dup'])).code).toBe(0);
    expect((await s.run(['accounts', 'remove', 'dup'])).stderr).toContain(
      'There is no account named "dup"',
    );
  });

  it('says clearly when there is no keychain, and keeps no account without its key', async () => {
    const s = session();
    const env = {
      FIRMDROP_KEYCHAIN_SERVICE: service,
      DBUS_SESSION_BUS_ADDRESS: undefined,
      DISPLAY: undefined,
    };
    const r = await runCli(
      cli(),
      ['--data-dir', s.dataDir, 'accounts', 'add', 'nokc', '--region', sandbox().url],
      { env, input: KEY },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^firmdrop: No OS keychain is available/);
    expect(r.stderr).toContain('FIRMDROP_API_KEY');
    expect(json(await s.run(['accounts', 'list', '--json']))).toEqual([]);
  });

  it('asks for the key on a terminal without echoing it', async () => {
    const s = session();
    let answered = false;
    const r = await runInTerminal(
      cli(),
      ['--data-dir', s.dataDir, 'accounts', 'add', 'typed', '--region', sandbox().url],
      {
        env: { FIRMDROP_KEYCHAIN_SERVICE: service },
        onOutput(seen, write) {
          if (!answered && seen.includes('API key (not shown): ')) {
            answered = true;
            write(`${KEY}\r`);
          }
        },
      },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('Added account "typed"');
    expect(r.stdout).not.toContain(KEY);
    const [account] = json(await s.run(['accounts', 'list', '--json']));
    expect(await keychain.get(account.id)).toBe(KEY);
    expect((await s.run(['accounts', 'remove', 'typed'])).code).toBe(0);
  });
});
