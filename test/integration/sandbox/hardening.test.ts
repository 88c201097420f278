import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import { http } from '../../helpers/sandbox-client';

const KEY = 'ak_sandbox_hardening_0123456789';
const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('the Host header', () => {
  let sandbox: Sandbox;
  let port: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ accounts: [{ key: KEY, tier: '1' }] });
    port = new URL(sandbox.url).port;
  });
  afterAll(() => sandbox.close());

  const me = (host: string | undefined, path = '/v3/accounts/me') =>
    http(`${sandbox.url}${path}`, {
      headers: {
        authorization: `Bearer ${KEY}`,
        ...(host === undefined ? {} : { host }),
        'x-sandbox-admin': sandbox.adminToken,
      },
    });

  it.each(['127.0.0.1:PORT', 'localhost:PORT', 'LOCALHOST:PORT', '127.0.0.1:1', 'localhost'])(
    'answers Host %s',
    async (host) => {
      expect((await me(host.replace('PORT', port))).status).toBe(200);
    },
  );

  it.each([
    'evil.example:PORT', // a rebinding attacker's name
    'evil.example',
    '127.0.0.1.evil.example:PORT',
    'localhost.evil.example',
    '[::1]:PORT',
    '10.0.0.1:PORT',
  ])('refuses Host %j with 403 before touching anything', async (host) => {
    const before = sandbox.stats().requests;
    for (const path of ['/v3/accounts/me', '/__sandbox/stats']) {
      const r = await me(host.replace('PORT', port), path);
      expect(r.status).toBe(403);
      expect(r.json).toMatchObject({
        code: 403,
        type: 'forbidden',
        message:
          'This sandbox answers only to 127.0.0.1 and localhost: address it as http://127.0.0.1:PORT.',
      });
    }
    expect(sandbox.stats().requests).toBe(before);
  });
});

describe('file modes', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const temp = async () => {
    const d = await mkdtemp(join(tmpdir(), 'firmdrop-sandbox-modes-'));
    dirs.push(d);
    return d;
  };

  it('a new data folder is 0700 and accounts.json 0600, whatever the umask', async () => {
    const old = process.umask(0o000);
    try {
      const dataDir = join(await temp(), 'new', 'data');
      const s = await startSandbox({ dataDir, accounts: [{ key: KEY, tier: '0' }] });
      await s.close();
      expect(await mode(dataDir)).toBe(0o700);
      expect(await mode(join(dataDir, 'accounts.json'))).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it('an earlier run’s folder (0755, accounts.json 0644) is made private on start', async () => {
    const dataDir = join(await temp(), 'old');
    await mkdir(dataDir, { mode: 0o755 });
    await chmod(dataDir, 0o755);
    await writeFile(join(dataDir, 'accounts.json'), '{"version":1,"accounts":[]}', {
      mode: 0o644,
    });
    await chmod(join(dataDir, 'accounts.json'), 0o644);
    const s = await startSandbox({ dataDir, accounts: [{ key: KEY, tier: '0' }] });
    await s.close();
    expect(await mode(dataDir)).toBe(0o700);
    expect(await mode(join(dataDir, 'accounts.json'))).toBe(0o600);
  });

  it('an existing folder that is not a sandbox’s keeps its mode; accounts.json is still 0600', async () => {
    const dataDir = await temp();
    await writeFile(join(dataDir, 'notes.txt'), 'mine');
    await chmod(dataDir, 0o755);
    const s = await startSandbox({ dataDir, accounts: [{ key: KEY, tier: '0' }] });
    await s.close();
    expect(await mode(dataDir)).toBe(0o755);
    expect(await mode(join(dataDir, 'accounts.json'))).toBe(0o600);
  });
});
