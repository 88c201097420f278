import { randomBytes } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src-sandbox';
import { launchWebApp, type WebApp } from '../../src-main/shells/web/launch';
import { useKeychain } from '../helpers/keychain';
import { invoke, send } from '../integration/web/http-client';

/**
 * A whole session through the web shell with a real account: afterwards the API key appears
 * nowhere but the keychain — not in the data folder's files (database, WAL, sandbox, staging),
 * not in anything sent to the renderer (command results, pushed events), not on stdout/stderr.
 */
const KEY = `ak_${randomBytes(24).toString('hex')}`;
const keychain = useKeychain();
let sandbox: Sandbox;
let web: WebApp;
let dir: string;
const seen: string[] = [];
const output: string[] = [];
let sse: { close(): void } | undefined;

function collectOutput(): () => void {
  const writes = [process.stdout.write, process.stderr.write] as const;
  const tap =
    (orig: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      output.push(String(chunk));
      return (orig as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    };
  process.stdout.write = tap(writes[0]) as typeof process.stdout.write;
  process.stderr.write = tap(writes[1]) as typeof process.stderr.write;
  return () => {
    process.stdout.write = writes[0];
    process.stderr.write = writes[1];
  };
}

function listenEvents(port: number, token: string): { close(): void } {
  const req = request(
    {
      host: '127.0.0.1',
      port,
      path: '/api/events',
      headers: { host: `127.0.0.1:${port}`, 'x-firmdrop-token': token },
    },
    (res) => res.on('data', (d: Buffer) => seen.push(d.toString('utf8'))),
  );
  req.end();
  return { close: () => req.destroy() };
}

function filesUnder(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

let restore: () => void = () => undefined;
beforeAll(async () => {
  restore = collectOutput();
  dir = mkdtempSync(join(tmpdir(), 'firmdrop-security-'));
  sandbox = await startSandbox({ accounts: [{ key: KEY, tier: '1' }] });
  web = await launchWebApp({
    dataDir: join(dir, 'data'),
    rendererDir: join(dir, 'renderer'),
    version: 'test',
    keychain,
  });
  mkdirSync(join(dir, 'renderer'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>');
});
afterAll(async () => {
  restore();
  sse?.close();
  await web?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('no API key leaves the keychain', () => {
  it('after adding an account, uploading, listing and failing, the key is nowhere else', async () => {
    const { port, token } = web.shell;
    sse = listenEvents(port, token);
    const call = async (channel: string, input?: unknown) => {
      const res = await invoke(port, token, channel, input === undefined ? [] : [input]);
      seen.push(res.text);
      return res.json() as { ok: boolean; value: never; error?: { message: string } };
    };
    const added = await call('accounts:add', {
      name: 'Real',
      region: 'custom',
      baseUrl: sandbox.url,
      apiKey: KEY,
    });
    expect(added.ok).toBe(true);
    const accountId = (added.value as { id: string }).id;
    // A refused key is not echoed either.
    const wrong = await call('accounts:add', {
      name: 'Wrong',
      region: 'custom',
      baseUrl: sandbox.url,
      apiKey: `${KEY}x`,
    });
    expect(wrong.ok).toBe(false);

    const data = randomBytes(6 * 1024 * 1024);
    const staged = await send(port, {
      method: 'PUT',
      path: `/api/stage?name=fw.bin&size=${data.length}`,
      headers: { 'x-firmdrop-token': token, 'content-type': 'application/octet-stream' },
      body: data,
    });
    const file = (staged.json() as { value: { ref: string; fileName: string; size: number } })
      .value;
    const up = await call('uploads:add', { uploads: [{ file, accountId }] });
    expect(up.ok).toBe(true);
    const id = (up.value as Array<{ id: string }>)[0]!.id;
    let phase = '';
    for (let i = 0; i < 100 && phase !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const list = await call('uploads:list');
      phase =
        (list.value as Array<{ id: string; phase: string }>).find((u) => u.id === id)?.phase ?? '';
    }
    expect(phase).toBe('done');
    for (const c of ['accounts:list', 'app:info', 'settings:get']) await call(c);
    await call('images:list', { accountId });
    await call('jobs:list', { accountId });
    await call('accounts:test', { id: accountId });
    expect(await keychain.get(accountId)).toBe(KEY);

    web.app.runtime.store.db.pragma('wal_checkpoint(FULL)');
    const leaks = filesUnder(join(dir, 'data')).filter((f) =>
      readFileSync(f).includes(Buffer.from(KEY)),
    );
    expect(leaks).toEqual([]);
    expect(seen.join('\n')).not.toContain(KEY);
    expect(seen.join('\n')).toContain('upload:changed');
    expect(output.join('')).not.toContain(KEY);
  });
});
