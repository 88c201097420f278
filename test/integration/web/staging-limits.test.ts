import { statfsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { StagedFile } from '../../../src-main/app/contract';
import { invoke, send } from './http-client';
import type { RawResponse } from './http-client';
import { startFixture } from './fixture';
import type { Fixture } from './fixture';

/**
 * Item 4 of issue 11: staging counts bytes against the size declared, checks free space first,
 * receives a few files at a time, refuses names that are not one file's name without leaving a
 * `.part`, and removes the copies of a refused uploads:add batch.
 */
const MiB = 1024 * 1024;
let fx: Fixture;
afterEach(() => fx.close());

const stagePath = (name: string, size: number) =>
  `/api/stage?name=${encodeURIComponent(name)}&size=${size}`;

function stage(name: string, body: string | Buffer, size = Buffer.byteLength(body)) {
  return send(fx.shell.port, {
    method: 'PUT',
    path: stagePath(name, size),
    headers: { 'x-firmdrop-token': fx.shell.token },
    body,
  });
}

/** A staging request whose body is written bit by bit; `answer` settles when the shell replies. */
function openStage(name: string, size: number) {
  let req: ClientRequest | null = null;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = request(
      {
        host: '127.0.0.1',
        port: fx.shell.port,
        method: 'PUT',
        path: stagePath(name, size),
        headers: {
          host: `127.0.0.1:${fx.shell.port}`,
          'x-firmdrop-token': fx.shell.token,
          'transfer-encoding': 'chunked',
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (part: string) => (body += part));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.flushHeaders();
  });
  // An aborted request rejects; a test that aborts does not await it.
  answer.catch(() => undefined);
  const r = () => req as unknown as ClientRequest;
  return {
    answer,
    write: (data: string | Buffer) => r().write(data),
    end: () => r().end(),
    abort: () => r().destroy(),
  };
}

const listing = async () => (await readdir(fx.stagingDir)).sort();
const refOf = (res: RawResponse) => (res.json() as { value: StagedFile }).value;

describe('web shell staging limits', () => {
  it('refuses a body at the first byte past its declared size (size=5: at byte 6)', async () => {
    fx = await startFixture({}, { maxBytes: 32 * MiB });
    const before = await listing();
    const upload = openStage('five.bin', 5);
    upload.write('12345');
    await expect.poll(async () => (await listing()).some((n) => n.endsWith('.part'))).toBe(true);
    upload.write('6');
    // The shell answers at byte 6, without waiting for the rest of a 30 MB body.
    const answer = await Promise.race([
      upload.answer,
      new Promise<null>((r) => setTimeout(() => r(null), 3000)),
    ]);
    upload.abort();
    expect(answer?.status).toBe(413);
    expect(JSON.parse(answer?.body ?? '{}')).toMatchObject({
      ok: false,
      error: { code: 'file-changed', message: expect.stringMatching(/more than the 5 B/) },
    });
    await expect.poll(listing).toEqual(before);
  });

  it('checks free disk space before writing a byte', async () => {
    fx = await startFixture({}, { maxBytes: Number.MAX_SAFE_INTEGER });
    const s = statfsSync(fx.stagingDir);
    const tooBig = s.bavail * s.bsize + 1024 * MiB;
    const res = await stage('huge.bin', 'x', tooBig);
    expect(res.status).toBe(507);
    expect(res.json()).toMatchObject({
      ok: false,
      error: {
        code: 'storage',
        message: expect.stringMatching(/not enough free disk space.*Free some space/),
      },
    });
    expect(await listing()).toEqual([]);
    // A file that fits still goes through.
    expect((await stage('small.bin', 'abc')).status).toBe(200);
  });

  it('receives at most 4 files at once; the 5th is refused with 429 until one is done', async () => {
    fx = await startFixture({}, { maxBytes: 32 * MiB });
    const open = ['1', '2', '3', '4'].map((n) => openStage(`slow-${n}.bin`, 3));
    for (const o of open) o.write('ab');
    await expect
      .poll(async () => (await listing()).filter((n) => n.endsWith('.part')).length)
      .toBe(4);
    const fifth = await stage('fifth.bin', 'abc');
    expect(fifth.status).toBe(429);
    expect(fifth.headers['retry-after']).toBe('1');
    expect(fifth.json()).toMatchObject({
      ok: false,
      error: { code: 'rate-limited', message: expect.stringMatching(/already receiving 4 files/) },
    });
    const first = open[0]!;
    first.write('c');
    first.end();
    expect((await first.answer).status).toBe(200);
    expect((await stage('sixth.bin', 'abc')).status).toBe(200);
    for (const o of open.slice(1)) o.abort();
  });

  it('refuses ".", "..", an empty name and names with slashes with 400, leaving no .part', async () => {
    fx = await startFixture({}, { maxBytes: 32 * MiB });
    for (const name of ['.', '..', '', '../evil.bin', 'dir/evil.bin', 'dir\\evil.bin', '\u0001']) {
      const res = await stage(name, 'abc');
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(res.json()).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', field: 'fileName' },
      });
    }
    expect(await listing()).toEqual([]);
  });

  it('removes the staged copies of a batch uploads:add refuses', async () => {
    fx = await startFixture({
      'uploads:add': async () => ({
        ok: false,
        error: { code: 'name-taken', message: 'An image named "a" already exists.', field: 'name' },
      }),
    });
    const a = refOf(await stage('a.bin', 'aaa'));
    const b = refOf(await stage('b.bin', 'bb'));
    const kept = refOf(await stage('not-in-the-batch.bin', 'c'));
    expect(fx.shell.resolveStagedRef(a.ref)).not.toBeNull();
    const res = await invoke(fx.shell.port, fx.shell.token, 'uploads:add', [
      { uploads: [a, b].map((file) => ({ file, accountId: 'acc-1' })) },
    ]);
    expect(res.json()).toMatchObject({ ok: false, error: { code: 'name-taken' } });
    expect(fx.shell.resolveStagedRef(a.ref)).toBeNull();
    expect(fx.shell.resolveStagedRef(b.ref)).toBeNull();
    expect(await listing()).toEqual([kept.ref]);

    // A batch refused by the shell itself (a ref it no longer holds) goes the same way.
    const c = refOf(await stage('c.bin', 'c'));
    const stray = await invoke(fx.shell.port, fx.shell.token, 'uploads:add', [
      { uploads: [c, a].map((file) => ({ file, accountId: 'acc-1' })) },
    ]);
    expect(stray.json()).toMatchObject({ ok: false, error: { code: 'file-missing' } });
    expect(await listing()).toEqual([kept.ref]);
  });
});
