import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKeytarStore } from '../../../src-main/secrets';
import { useSandbox } from '../../helpers/sandbox-fixture';
import {
  envCredentials,
  json,
  runCli,
  startWebApp,
  useBuiltCli,
  useScratch,
  type Env,
} from './cli-fixture';

const PROD_KEY = 'ak_cli_default_prod_0123456789';
const TRIAL_KEY = 'ak_cli_default_trial_0123456789';
const ENV_KEY = 'ak_cli_default_env_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({
  accounts: [
    { key: PROD_KEY, tier: '1', name: 'Prod Inc' },
    { key: TRIAL_KEY, tier: '0', name: 'Trial Inc' },
    { key: ENV_KEY, tier: '1', name: 'Env Inc' },
  ],
});
const scratch = useScratch();
const service = `Firmdrop-cli-default-${randomUUID()}`;
let n = 0;

beforeAll(async () => {
  const status = await createKeytarStore({ service }).probe();
  if (!status.ok) throw new Error(`These tests need the OS keychain (run under /work/kr.sh).`);
});

async function twoAccounts() {
  const dataDir = join(scratch.dir(), `data-${++n}`);
  const run = (args: string[], env: Env = {}, input?: string) =>
    runCli(cli(), ['--data-dir', dataDir, ...args], {
      env: { FIRMDROP_KEYCHAIN_SERVICE: service, ...env },
      input,
    });
  for (const [name, key] of [
    ['prod', PROD_KEY],
    ['trial', TRIAL_KEY],
  ] as const) {
    const add = await run(['accounts', 'add', name, '--region', sandbox().url], {}, key);
    expect(add.code, add.stderr).toBe(0);
  }
  /** Which account a plain upload of a fresh file went to, or the failed run. */
  const uploadTo = async (env: Env = {}, ...extra: string[]) => {
    const f = scratch.file(`${randomUUID()}.bin`, 2000);
    const r = await run(['upload', f.path, '--json', ...extra], env);
    return r.code === 0 ? (json(r)[0].account as string) : r;
  };
  return { dataDir, run, uploadTo };
}

describe('the default account', () => {
  it('accounts use sets it, accounts list marks it, and a command without --account uses it', async () => {
    const s = await twoAccounts();
    // Adding the second account keeps the first as the default (as the app does).
    const before = json(await s.run(['accounts', 'list', '--json']));
    expect(before.map((a: { name: string; default: boolean }) => [a.name, a.default])).toEqual([
      ['prod', true],
      ['trial', false],
    ]);
    expect(await s.uploadTo()).toBe('prod');

    const use = await s.run(['accounts', 'use', 'trial']);
    expect(use.code, use.stderr).toBe(0);
    expect(use.stdout).toContain('"trial" is now the default account');
    const table = (await s.run(['accounts', 'list'])).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME\s+DEFAULT\s+API\s+/);
    expect(table.find((l) => l.startsWith('trial'))).toMatch(/^trial\s+\*\s+http/);
    expect(table.find((l) => l.startsWith('prod'))).toMatch(/^prod\s+http/);
    expect(await s.uploadTo()).toBe('trial');
    expect(json(await s.run(['accounts', 'test', '--json']))).toMatchObject({
      name: 'trial',
      default: true,
    });

    const unknown = await s.run(['accounts', 'use', 'staging']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no account named "staging"');
  });

  it('precedence: --account > FIRMDROP_ACCOUNT > FIRMDROP_API_URL/KEY > the stored default', async () => {
    const s = await twoAccounts();
    expect((await s.run(['accounts', 'use', 'trial'])).code).toBe(0);
    const creds = envCredentials(sandbox().url, ENV_KEY);
    // The environment's credentials beat the stored default (and need no keychain).
    expect(await s.uploadTo(creds)).toMatch(/^env:127\.0\.0\.1:\d+:/);
    // FIRMDROP_ACCOUNT beats the stored default and the environment's credentials...
    expect(await s.uploadTo({ FIRMDROP_ACCOUNT: 'prod' })).toBe('prod');
    expect(
      await s.uploadTo({
        FIRMDROP_API_URL: sandbox().url,
        FIRMDROP_API_KEY: ENV_KEY,
        FIRMDROP_ACCOUNT: 'prod',
      }),
    ).toBe('prod');
    // ...and --account beats them all.
    expect(await s.uploadTo({ FIRMDROP_ACCOUNT: 'prod' }, '--account', 'trial')).toBe('trial');

    const wrong = await s.uploadTo({ FIRMDROP_ACCOUNT: 'staging' });
    expect(wrong).toMatchObject({ code: 2 });
    expect((wrong as { stderr: string }).stderr).toContain(
      'FIRMDROP_ACCOUNT is set to "staging", but there is no account by that name. Accounts: "prod", "trial".',
    );
  });

  it('with several accounts and no default, asks for --account or accounts use', async () => {
    const s = await twoAccounts();
    expect(
      (await s.run(['accounts', 'add', 'third', '--region', sandbox().url], {}, ENV_KEY)).code,
    ).toBe(0);
    // Removing the default leaves no default: no other account inherits it.
    expect((await s.run(['accounts', 'remove', 'prod'])).code).toBe(0);
    const r = await s.uploadTo();
    expect(r).toMatchObject({ code: 2 });
    expect((r as { stderr: string }).stderr).toContain(
      'several accounts are set up and none is the default: choose one with --account NAME, or make one the default with "firmdrop accounts use NAME". Accounts: "third", "trial".',
    );
  });

  it('is the same default as the app’s, both ways', async () => {
    const s = await twoAccounts();
    const ids = Object.fromEntries(
      json(await s.run(['accounts', 'list', '--json'])).map((a: { name: string; id: string }) => [
        a.name,
        a.id,
      ]),
    );
    expect((await s.run(['accounts', 'use', 'trial'])).code).toBe(0);
    const web = await startWebApp(cli(), s.dataDir);
    try {
      expect(await web.invoke('accounts:default')).toEqual({
        ok: true,
        value: { accountId: ids.trial },
      });
      expect((await web.invoke('accounts:set-default', { id: ids.prod })).ok).toBe(true);
    } finally {
      await web.stop();
    }
    expect(json(await s.run(['accounts', 'list', '--json']))[0]).toMatchObject({
      name: 'prod',
      default: true,
    });
    expect(await s.uploadTo()).toBe('prod');
  });
});
