import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childEnv, useBuiltCli, useScratch } from './cli-fixture';

const cli = useBuiltCli();
const scratch = useScratch();

describe('firmdrop web', () => {
  it('serves the app on 127.0.0.1 behind its token, prints the URL first, stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [cli(), 'web', '--data-dir', join(scratch.dir(), 'data')],
      {
        env: childEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const firstLine = await new Promise<string>((done, fail) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) done(out.split('\n')[0] as string);
      });
      child.on('close', () => fail(new Error(`exited early: ${stderr}`)));
    });
    const url = new URL(firstLine);
    expect(url.hostname).toBe('127.0.0.1');
    const token = url.searchParams.get('token') ?? '';
    expect(token).toMatch(/^[0-9a-f]{32,}$/);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<meta name="firmdrop-shell" content="web" />');
    expect(page.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Strict; Path=\/$/);
    const refused = await fetch(new URL('/api/invoke/accounts:list', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    });
    expect([401, 403]).toContain(refused.status);
    const listed = await fetch(new URL('/api/invoke/accounts:list', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-firmdrop-token': token },
      body: '[]',
    });
    expect(await listed.json()).toMatchObject({
      ok: true,
      value: [{ name: 'Sandbox (local)', isSandbox: true }],
    });

    child.kill('SIGTERM');
    expect(await exited).toBe(143);
  });
});
