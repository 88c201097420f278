import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_MESSAGES } from '../../../src-main/secrets';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { runCli, useBuiltCli } from './cli-fixture';

const KEY = 'ak_cli_keychain_missing_0123456789';
const root = resolve(import.meta.dirname, '../../..');
const built = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });

// The built CLI beside a node_modules that holds everything but keytar: what an `npm install`
// leaves when keytar's native build failed (npm drops an optional dependency that fails). The
// CLI's own loader then fails for real.
let dir = '';
let cli = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'firmdrop-no-keytar-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name !== 'keytar') symlinkSync(join(root, 'node_modules', name), join(modules, name));
  }
  cpSync(dirname(built()), join(dir, 'out', 'cli'), { recursive: true });
  cli = join(dir, 'out', 'cli', 'firmdrop.cjs');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('firmdrop without the keychain module', () => {
  it('accounts add says keytar is not installed and what to run; nothing is kept', async () => {
    const dataDir = join(dir, 'data');
    const args = ['--data-dir', dataDir, 'accounts', 'add', 'prod', '--region', sandbox().url];
    const add = await runCli(cli, args, { input: `${KEY}\n` });
    expect(add.code).toBe(1);
    expect(add.stderr).toContain(KEYCHAIN_MESSAGES.notInstalled);
    expect(add.stderr).toContain(
      'sudo apt-get install -y libsecret-1-dev pkg-config build-essential python3 && npm install',
    );
    expect(add.stderr).not.toContain(KEY);
    const list = await runCli(cli, ['--data-dir', dataDir, 'accounts', 'list']);
    expect(list.stdout).not.toContain('prod');
  });

  it('the headless path (FIRMDROP_API_KEY) still works', async () => {
    const list = await runCli(cli, ['images', 'list'], {
      env: { FIRMDROP_API_URL: sandbox().url, FIRMDROP_API_KEY: KEY },
    });
    expect(list.code, list.stderr).toBe(0);
  });
});
