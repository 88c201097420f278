import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_MESSAGES } from '../../../src-main/secrets';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { KeychainHome, UNLOCK_KEYRING } from '../secrets/keychain-sessions';
import { useBuiltCli } from './cli-fixture';

// With the keyring daemon stopped, a keychain call never returns: the CLI reports the timeout
// after 5 s and must then exit at once (it used to sit there until D-Bus gave up, 45 s later).
// The whole scene runs on a private D-Bus session with its own keyring, so stopping that daemon
// touches nothing else (npm test's shared keyring keeps serving the other tests).
const KEY = 'ak_cli_keychain_hang_0123456789';
const CHILD = resolve(import.meta.dirname, 'keychain-hang-child.mjs');
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });
const home = new KeychainHome();
afterAll(() => home.remove());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  firstStderrMs: number | null;
  exitMs: number;
}

describe('a keychain that stops answering', () => {
  it('the CLI prints the timeout and exits right after, leaving no helper behind', async () => {
    const input = JSON.stringify({
      cli: cli(),
      dataDir: join(home.dir, 'firmdrop'),
      url: sandbox().url,
      key: KEY,
      runDir: home.run,
    });
    const script = `${UNLOCK_KEYRING('pw')} && exec "$0" "$1" "$2"`;
    const env = home.env({ FIRMDROP_KEYCHAIN_SERVICE: 'Firmdrop-hang-test' });
    // As for every CLI test, none of the runner's own FIRMDROP_* settings.
    for (const name of Object.keys(env)) {
      if (name.startsWith('FIRMDROP_') && name !== 'FIRMDROP_KEYCHAIN_SERVICE') delete env[name];
    }
    const { stdout } = await promisify(execFile)(
      'dbus-run-session',
      ['--', 'sh', '-c', script, process.execPath, CHILD, input],
      { env, timeout: 110_000 },
    );
    const { add, hung, leftover } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
      add: Run;
      hung: Run;
      leftover: number[];
    };
    expect(add.code, add.stderr).toBe(0);
    expect(hung.code).toBe(1);
    expect(hung.stderr).toBe(`firmdrop: ${KEYCHAIN_MESSAGES.timeout(5000)}\n`);
    expect(hung.firstStderrMs).toBeGreaterThanOrEqual(4900);
    expect(hung.firstStderrMs).toBeLessThan(9000);
    // Exits within moments of saying so.
    expect(hung.exitMs - (hung.firstStderrMs ?? 0)).toBeLessThan(1500);
    // The helper that holds the hung call went with it.
    expect(leftover).toEqual([]);
  }, 120_000);
});
