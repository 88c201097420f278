import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src-sandbox';
import { api, http } from '../../helpers/sandbox-client';

const root = resolve(import.meta.dirname, '../../..');
// A private build: other runs may be rebuilding out/cli at the same time.
const outDir = join(root, 'out', `sandbox-cli-test-${randomBytes(4).toString('hex')}`);
const cli = join(outDir, 'firmdrop.cjs');

beforeAll(async () => {
  await promisify(execFile)(
    'npx',
    ['vite', 'build', '--config', 'vite.cli.config.mts', '--outDir', outDir, '--logLevel', 'error'],
    { cwd: root },
  );
}, 60_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

// A test that fails before it stops its sandbox must not leave the process running.
const started = new Set<ChildProcess>();
afterEach(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  started.clear();
});

function run(args: string[], extraEnv: Record<string, string> = {}) {
  // Never the runner's own FIRMDROP_SANDBOX_KEYS: only what the test gives.
  const env = { ...process.env, ...extraEnv };
  if (!('FIRMDROP_SANDBOX_KEYS' in extraEnv)) delete env.FIRMDROP_SANDBOX_KEYS;
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  started.add(child);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const next = async (): Promise<string> => (await lines.next()).value ?? '';
  return { child, next, exited, stderr: () => stderr };
}

describe('firmdrop sandbox', () => {
  it('prints its URL first, then keys and admin token, serves the API, and stops on SIGTERM', async () => {
    const p = run(['sandbox', '--port', '0', '--key', 'k1:1', '--key', 'free:key:0']);
    const url = await p.next();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await p.next()).toMatch(/^api-key k1 tier=1 account=[0-9a-f]{32}$/);
    expect(await p.next()).toMatch(/^api-key free:key tier=0 account=[0-9a-f]{32}$/);
    const [, token] = (await p.next()).split(' ');
    expect(token).toMatch(/^[0-9a-f]{40}$/);
    const me = await api(url, 'k1', 'GET', '/v3/accounts/me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ object: 'account', tier: '1' });
    // `firmdrop sandbox` opts in to the control layer: the admin API answers with the token.
    const state = await http(`${url}/__sandbox/state`, { headers: { 'x-sandbox-admin': token } });
    expect(state.status).toBe(200);
    expect(state.json).toMatchObject({ url, pendingFaults: 0 });
    const armed = await http(`${url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'x-sandbox-admin': token, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'status', status: 503, path: '^/v3/accounts/me' }),
    });
    expect(armed.status).toBe(201);
    expect((await api(url, 'k1', 'GET', '/v3/accounts/me')).status).toBe(503);
    expect(p.stderr()).toMatch(/temporary directory (\S+)/);
    const tmp = /temporary directory (\S+)/.exec(p.stderr())?.[1] ?? '';
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    await expect(stat(tmp)).rejects.toThrow(); // the temporary data went with it
    await expect(api(url, 'k1', 'GET', '/v3/accounts/me')).rejects.toThrow();
  });

  it('keeps data in --data-dir and stops on SIGINT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firmdrop-cli-sandbox-'));
    try {
      const p = run(['sandbox', '--data-dir', dir]);
      const url = await p.next();
      const key = (await p.next()).split(' ')[1] ?? '';
      expect(key).toMatch(/^ak_sandbox_/);
      expect((await api(url, key, 'GET', '/v3/accounts/me')).status).toBe(200);
      p.child.kill('SIGINT');
      expect(await p.exited).toBe(0);
      expect((await stat(join(dir, 'accounts.json'))).isFile()).toBe(true);
      // The next run reuses the saved key.
      const again = run(['sandbox', '--data-dir', dir]);
      await again.next();
      expect((await again.next()).split(' ')[1]).toBe(key);
      again.child.kill('SIGTERM');
      await again.exited;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['--key-file', 'file'],
    ['FIRMDROP_SANDBOX_KEYS', 'env'],
  ])('keys from %s work and are not on the command line (ps shows it)', async (_label, how) => {
    const dir = await mkdtemp(join(tmpdir(), 'firmdrop-cli-sandbox-keys-'));
    const key = `ak_hidden_${randomBytes(8).toString('hex')}`;
    try {
      const keyFile = join(dir, 'keys');
      await writeFile(keyFile, `# test\n${key}:1\n`, { mode: 0o600 });
      const p =
        how === 'file'
          ? run(['sandbox', '--key-file', keyFile])
          : run(['sandbox'], { FIRMDROP_SANDBOX_KEYS: `${key}:1` });
      const url = await p.next();
      // What `ps` shows of the running sandbox: its command line, NUL-separated.
      const cmdline = await readFile(`/proc/${p.child.pid}/cmdline`, 'utf8');
      expect(cmdline).toContain('sandbox');
      expect(cmdline).not.toContain(key);
      expect(await p.next()).toMatch(new RegExp(`^api-key ${key} tier=1 account=[0-9a-f]{32}$`));
      expect((await api(url, key, 'GET', '/v3/accounts/me')).json).toMatchObject({ tier: '1' });
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes accounts.json 0600 in a 0700 data folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firmdrop-cli-sandbox-'));
    try {
      const dataDir = join(dir, 'data');
      const p = run(['sandbox', '--data-dir', dataDir, '--key', 'k:0']);
      await p.next();
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      expect((await stat(join(dataDir, 'accounts.json'))).mode & 0o777).toBe(0o600);
      p.child.kill('SIGTERM');
      await p.exited;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says so when the port is taken (exit code 1)', async () => {
    const busy = await startSandbox();
    try {
      const p = run(['sandbox', '--port', new URL(busy.url).port]);
      expect(await p.exited).toBe(1);
      expect(p.stderr()).toMatch(/is in use: pick another with --port/);
    } finally {
      await busy.close();
    }
  });

  it('takes the tier as a word (free, commercial, partner) as well as 0, 1, 2', async () => {
    const p = run(
      [
        'sandbox',
        '--port',
        '0',
        '--key',
        'kf:free',
        '--key',
        'kc:Commercial',
        '--key',
        'kp:partner',
      ],
      { FIRMDROP_SANDBOX_KEYS: 'ke:partner' },
    );
    const url = await p.next();
    expect(await p.next()).toMatch(/^api-key kf tier=0 /);
    expect(await p.next()).toMatch(/^api-key kc tier=1 /);
    expect(await p.next()).toMatch(/^api-key kp tier=2 /);
    expect(await p.next()).toMatch(/^api-key ke tier=2 /);
    for (const [key, tier] of [
      ['kf', '0'],
      ['kc', '1'],
      ['kp', '2'],
    ] as const) {
      expect((await api(url, key, 'GET', '/v3/accounts/me')).json).toMatchObject({ tier });
    }
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it('names the tiers it takes when the tier is not one of them', async () => {
    const p = run(['sandbox', '--key', 'k:gold']);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toContain(
      'firmdrop sandbox: --key takes KEY:TIER with TIER free, commercial or partner (or 0, 1, 2), got "k:gold"',
    );
  });

  it.each([
    [['sandbox', '--port', 'x']],
    [['sandbox', '--key', 'nokey']],
    [['sandbox', '--key', 'k:5']],
    [['sandbox', '--key-file', '/dev/null']],
    [['sandbox', '--bogus']],
  ])('refuses bad arguments %j with exit code 2', async (args) => {
    const p = run(args);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toMatch(/^firmdrop sandbox: /);
  });
});
