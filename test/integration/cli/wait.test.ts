import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, it, type TestContext } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import { createKeytarStore } from '../../../src-main/secrets';
import {
  download,
  envCredentials,
  json,
  runCli,
  startCli,
  useBuiltCli,
  useScratch,
  type Env,
} from './cli-fixture';

/**
 * `firmdrop upload --wait[=DURATION]` against a service that is down: a sandbox closed after the
 * account was added, started again later on the same port and data folder (its accounts and
 * images survive, as a real service's would). The sandbox comes back when the CLI says it is
 * waiting, not after a fixed sleep. The cases run at once (each has its own sandbox, port and
 * data folder): most of their time is the CLI waiting between looks.
 */
const KEY = 'ak_cli_wait_0123456789';
const ACCOUNTS = [{ key: KEY, tier: '1' as const }];
const cli = useBuiltCli();
const scratch = useScratch();
// A keychain service of this file's own, in the private keyring npm test starts.
const service = `Firmdrop-cli-wait-${randomUUID()}`;
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

/**
 * A data folder whose one stored account (key in the keychain) points at a service that is now
 * down; `up()` brings the service back on the same address.
 */
async function downService(
  onTestFinished: TestContext['onTestFinished'],
  opts: { storedAccount: boolean },
) {
  const id = ++n;
  const sandboxDir = join(scratch.dir(), `sandbox-${id}`);
  mkdirSync(sandboxDir, { recursive: true });
  const first = await startSandbox({ dataDir: sandboxDir, accounts: ACCOUNTS });
  const url = first.url;
  const port = Number(new URL(url).port);
  const dataDir = join(scratch.dir(), `data-${id}`);
  const env: Env = opts.storedAccount
    ? { FIRMDROP_KEYCHAIN_SERVICE: service }
    : envCredentials(url, KEY);
  const args = (...a: string[]) => ['--data-dir', dataDir, ...a];
  if (opts.storedAccount) {
    const add = await runCli(cli(), args('accounts', 'add', 'lab', '--region', url), {
      env,
      input: `${KEY}\n`,
    });
    if (add.code !== 0) throw new Error(`accounts add failed: ${add.stderr}`);
  }
  await first.close();
  return {
    url,
    port,
    dataDir,
    start: (...a: string[]) => {
      const r = startCli(cli(), args(...a), { env });
      onTestFinished(() => void (r.child.exitCode === null && r.child.kill('SIGKILL')));
      return r;
    },
    run: (...a: string[]) => runCli(cli(), args(...a), { env }),
    async up(): Promise<Sandbox> {
      const sb = await startSandbox({ port, dataDir: sandboxDir, accounts: ACCOUNTS });
      onTestFinished(() => sb.close());
      return sb;
    },
  };
}

const seconds = (since: number) => (Date.now() - since) / 1000;

describe.concurrent('firmdrop upload --wait', () => {
  it('waits for a service that is down, saying why and when it tries next, and finishes once it is back', async ({
    expect,
    onTestFinished,
  }) => {
    const s = await downService(onTestFinished, { storedAccount: true });
    const f = scratch.file('wait.bin', 11 * MiB);
    const run = s.start('upload', f.path, '--chunk-size', '5', '--wait');
    await run.waitForStderr(/^wait\.bin: waiting for network$/, 25_000);
    // Still down at the first look: it says so again, with the next (longer) delay.
    await run.waitForStderr(/^wait\.bin: Could not reach .*\(next try in 2 s\)$/, 25_000);
    // Every line about it says why it waits and when it looks next.
    const reason = new RegExp(
      `^wait\\.bin: Could not reach 127\\.0\\.0\\.1:${s.port} .*\\(next try in \\d+ s\\)$`,
    );
    const problems = run
      .stderr()
      .split('\n')
      .filter((l) => l.includes('Could not reach'));
    expect(problems.length, run.stderr()).toBe(2);
    for (const line of problems) expect(line).toMatch(reason);
    expect(run.child.exitCode).toBe(null);

    const back = await s.up();
    const upAt = Date.now();
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(seconds(upAt)).toBeLessThan(20);
    expect(r.stdout).toMatch(/^wait\.bin: uploaded and verified as image [0-9a-f]{32} /);
    const [row] = json(await s.run('uploads', '--json'));
    expect(row).toMatchObject({ state: 'done', verified: true, datafile_checksum: f.sha256 });
    expect((await download(row.datafile)).equals(f.data)).toBe(true);
    expect(back.stats().chunksAppended).toBe(3);
  });

  it('without --wait fails at once with a clear message, and keeps nothing', async ({
    expect,
    onTestFinished,
  }) => {
    const stored = await downService(onTestFinished, { storedAccount: true });
    const f = scratch.file('fast.bin', 7 * MiB);
    let t = Date.now();
    const r = await stored.run('upload', f.path);
    expect(r.code).toBe(1);
    expect(seconds(t)).toBeLessThan(10);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(`^firmdrop: Could not reach 127\\.0\\.0\\.1:${stored.port} .*Check the network`),
    );
    expect(r.stderr).not.toContain('waiting');
    expect(json(await stored.run('uploads', '--json'))).toEqual([]);

    const fromEnv = await downService(onTestFinished, { storedAccount: false });
    t = Date.now();
    const e = await fromEnv.run('upload', f.path);
    expect(e.code).toBe(1);
    expect(seconds(t)).toBeLessThan(10);
    expect(e.stderr).toBe(
      `firmdrop: Could not reach 127.0.0.1:${fromEnv.port} to read the account (connection refused). Check the network or proxy.\n`,
    );
  });

  it('--wait=2s gives up when the service stays down, says so, and keeps the upload to resume', async ({
    expect,
    onTestFinished,
  }) => {
    const s = await downService(onTestFinished, { storedAccount: true });
    const f = scratch.file('bounded.bin', 11 * MiB);
    const r = await s.run('upload', f.path, '--chunk-size', '5', '--wait=2s');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('bounded.bin: waiting for network');
    expect(r.stderr).toMatch(
      /firmdrop: bounded\.bin: Could not reach .* Gave up after waiting 2 s for the network; retry when it is back\./,
    );
    const [row] = json(await s.run('uploads', '--json'));
    expect(row).toMatchObject({ name: 'bounded.bin', state: 'failed', verified: false });
    expect(row.error).toContain('Gave up after waiting 2 s');

    // Resumable: once the service is back, resume finishes it.
    const back = await s.up();
    const resumed = await s.run('resume', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(json(resumed)).toEqual([
      expect.objectContaining({ upload_id: row.id, verified: true, datafile_checksum: f.sha256 }),
    ]);
    expect(back.stats().chunksAppended).toBe(3);
  });

  it('refuses a duration it cannot read (exit 2), naming the forms it takes', async ({
    expect,
  }) => {
    const f = scratch.file('usage.bin', 10);
    const dataDir = join(scratch.dir(), 'usage-data');
    for (const bad of ['soon', '0', '5x', '-3', '']) {
      const r = await runCli(cli(), ['--data-dir', dataDir, 'upload', f.path, `--wait=${bad}`]);
      expect(r.code, `--wait=${bad}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toBe(
        `firmdrop upload: --wait takes a duration such as 90, 30s, 15m or 2h (or none, to wait as long as it takes), got "${bad}"\n`,
      );
    }
  });

  it('with FIRMDROP_API_URL and FIRMDROP_API_KEY, waits for the account look-up too', async ({
    expect,
    onTestFinished,
  }) => {
    const s = await downService(onTestFinished, { storedAccount: false });
    const f = scratch.file('env-wait.bin', 3000);
    const run = s.start('upload', f.path, '--wait');
    const line = await run.waitForStderr(/waiting for the network/, 25_000);
    expect(line).toMatch(
      new RegExp(
        `^firmdrop: waiting for the network: Could not reach 127\\.0\\.0\\.1:${s.port} to read the account .*\\(next try in \\d+ s\\)$`,
      ),
    );
    await s.up();
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^env-wait\.bin: uploaded and verified as image /);
    const [row] = json(await s.run('uploads', '--json'));
    expect(row).toMatchObject({ state: 'done', verified: true, datafile_checksum: f.sha256 });

    // Bounded, it says it gave up waiting rather than just that the service is unreachable.
    const down = await downService(onTestFinished, { storedAccount: false });
    const bounded = await down.run('upload', f.path, '--wait=2s');
    expect(bounded.code).toBe(1);
    expect(bounded.stderr).toMatch(/gave up after waiting 2 s for the network/i);
  });
});
