import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveStagedRef } from '../../../src-main/shells/web';
import { send } from './http-client';
import { startFixture } from './fixture';
import type { Fixture } from './fixture';

const MiB = 1024 * 1024;

describe('web shell staging', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture({}, { maxBytes: 32 * MiB });
  });
  afterAll(() => fx.close());

  const stagePath = (name: string, size: number) =>
    `/api/stage?name=${encodeURIComponent(name)}&size=${size}`;

  it('streams a 20 MiB body to disk byte-exact and resolves its ref', async () => {
    const data = randomBytes(20 * MiB);
    const res = await send(fx.shell.port, {
      method: 'PUT',
      path: stagePath('fw 1.2.bin', data.length),
      headers: { 'x-firmdrop-token': fx.shell.token, 'content-type': 'application/octet-stream' },
      body: data,
    });
    expect(res.status).toBe(200);
    const body = res.json() as { ok: true; value: { ref: string; fileName: string; size: number } };
    expect(body.value.fileName).toBe('fw 1.2.bin');
    expect(body.value.size).toBe(data.length);
    const path = fx.shell.resolveStagedRef(body.value.ref);
    expect(path).toBe(join(fx.stagingDir, body.value.ref, 'fw 1.2.bin'));
    expect(resolveStagedRef(fx.stagingDir, body.value.ref)).toBe(path);
    expect((await readFile(path!)).equals(data)).toBe(true);
  });

  it('leaves no file behind when the upload is aborted mid-body', async () => {
    const before = await readdir(fx.stagingDir);
    const total = 20 * MiB;
    const req = request({
      host: '127.0.0.1',
      port: fx.shell.port,
      method: 'PUT',
      path: stagePath('half.bin', total),
      headers: {
        host: `127.0.0.1:${fx.shell.port}`,
        'x-firmdrop-token': fx.shell.token,
        'content-length': total,
      },
    });
    req.on('error', () => {}); // the abort is the point
    req.write(randomBytes(4 * MiB));
    await expect
      .poll(async () => (await readdir(fx.stagingDir)).some((f) => f.endsWith('.part')))
      .toBe(true);
    req.destroy();
    await expect.poll(async () => (await readdir(fx.stagingDir)).sort()).toEqual(before.sort());
  });

  it('refuses a body larger than the limit and keeps nothing', async () => {
    const before = await readdir(fx.stagingDir);
    const declared = await send(fx.shell.port, {
      method: 'PUT',
      path: stagePath('big.bin', 33 * MiB),
      headers: { 'x-firmdrop-token': fx.shell.token },
      body: 'x',
    });
    expect(declared.status).toBe(413);
    // A client that under-declares is cut off once it passes the limit.
    const lying = await send(fx.shell.port, {
      method: 'PUT',
      path: stagePath('liar.bin', 1),
      headers: { 'x-firmdrop-token': fx.shell.token },
      body: randomBytes(33 * MiB),
    }).catch((err: NodeJS.ErrnoException) => ({ status: err.code }));
    // The shell answers 413 and closes; the client may see the answer or the closed socket.
    expect([413, 'ECONNRESET', 'EPIPE']).toContain(lying.status);
    expect((await readdir(fx.stagingDir)).sort()).toEqual(before.sort());
  });

  it('refuses a body whose length differs from the declared size', async () => {
    const res = await send(fx.shell.port, {
      method: 'POST',
      path: stagePath('short.bin', 10),
      headers: { 'x-firmdrop-token': fx.shell.token },
      body: 'abc',
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'file-changed' } });
  });

  it('requires name and size', async () => {
    const noName = await send(fx.shell.port, {
      method: 'PUT',
      path: '/api/stage?size=3',
      headers: { 'x-firmdrop-token': fx.shell.token },
      body: 'abc',
    });
    expect(noName.status).toBe(400);
    const noSize = await send(fx.shell.port, {
      method: 'PUT',
      path: '/api/stage?name=a.bin',
      headers: { 'x-firmdrop-token': fx.shell.token },
      body: 'abc',
    });
    expect(noSize.status).toBe(400);
  });

  it('resolves only well-formed, complete refs', () => {
    expect(resolveStagedRef(fx.stagingDir, '../secret.txt')).toBeNull();
    expect(resolveStagedRef(fx.stagingDir, `stg_${'0'.repeat(32)}`)).toBeNull();
    expect(existsSync(join(fx.root, 'secret.txt'))).toBe(true);
  });

  it('requires the token', async () => {
    const res = await send(fx.shell.port, { method: 'PUT', path: stagePath('a', 1), body: 'a' });
    expect(res.status).toBe(401);
  });
});
