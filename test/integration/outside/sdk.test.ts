import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import { http } from '../../helpers/sandbox-client';
import { startTlsFront, type TlsFront } from '../../helpers/tls-front';

/**
 * Arm's own JavaScript SDK (mbed-cloud-sdk 2.6.10), a client no one here wrote, drives the
 * sandbox: a misreading of the service shared by the sandbox and Firmdrop's client would pass
 * every other test. The SDK insists on https, so it talks to a TLS front that passes each
 * request on to the sandbox unchanged.
 */

const KEY = 'ak_sdk_test_key';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's entities, as JSON
type Answer = { ok: true; value: any } | { ok: false; error: { message: string; code?: number } };

let sandbox: Sandbox;
let front: TlsFront;
let dir: string;
const drivers: ChildProcess[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [{ key: KEY, tier: '1', name: 'SDK' }] });
  front = await startTlsFront(sandbox.url);
  dir = await mkdtemp(join(tmpdir(), 'firmdrop-sdk-'));
  await writeFile(join(dir, 'front.pem'), front.certPem);
});

afterAll(async () => {
  for (const d of drivers) d.kill();
  await front?.close();
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A process running the SDK with `key`; `call` sends one command and waits for its answer. */
function driver(key = KEY): (op: string, args?: object) => Promise<Answer> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'sdk-driver.mjs')], {
    cwd: dir, // the SDK reads a .env from its working directory: an empty one
    env: {
      PATH: process.env.PATH,
      NODE_EXTRA_CA_CERTS: join(dir, 'front.pem'),
      DRIVER_HOST: front.url,
      DRIVER_KEY: key,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  drivers.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  let queue = Promise.resolve();
  return (op, args = {}) => {
    const answer = queue.then(async () => {
      child.stdin!.write(`${JSON.stringify({ op, ...args })}\n`);
      const line = await lines.next();
      if (line.done) throw new Error(`the SDK driver exited (code ${child.exitCode})`);
      return JSON.parse(line.value) as Answer;
    });
    queue = answer.then(
      () => undefined,
      () => undefined,
    );
    return answer;
  };
}

async function value(a: Promise<Answer>) {
  const r = await a;
  if (!r.ok) throw new Error(`the SDK failed: ${JSON.stringify(r.error)}`);
  return r.value;
}

async function imageFile(name: string, size: number): Promise<{ path: string; data: Buffer }> {
  const data = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, data);
  return { path, data };
}

describe('mbed-cloud-sdk 2.6.10 against the sandbox (through TLS)', () => {
  it('reads accounts/me', async () => {
    const sdk = driver();
    const me = await value(sdk('me'));
    expect(me).toMatchObject({ id: sandbox.accounts[0]!.id, tier: '1', status: 'ACTIVE' });
  });

  it('refuses a wrong key with 401', async () => {
    const sdk = driver('ak_wrong');
    expect(await sdk('me')).toMatchObject({ ok: false, error: { code: 401 } });
  });

  it('creates, reads and deletes an image, and the datafile is the uploaded file', async () => {
    const sdk = driver();
    const { path, data } = await imageFile('fw-sdk.bin', 70_000);
    const made = await value(sdk('create', { file: path, name: 'sdk-one', description: 'by Arm' }));
    expect(made).toMatchObject({
      name: 'sdk-one',
      description: 'by Arm',
      datafileSize: data.length,
      datafileChecksum: createHash('sha256').update(data).digest('hex'),
    });
    expect(made.id).toMatch(/^[0-9a-f]{32}$/);
    const read = await value(sdk('read', { id: made.id }));
    expect(read).toEqual(made);
    const download = await http(made.datafileUrl);
    expect(download.status).toBe(200);
    expect(download.body.equals(data)).toBe(true);

    expect(await value(sdk('delete', { id: made.id }))).toBeNull();
    // The SDK's repositories answer a 404 with null; its raw client shows the status.
    expect(await value(sdk('read', { id: made.id }))).toBeNull();
    const url = `/v3/firmware-images/${made.id}`;
    for (const method of ['GET', 'DELETE']) {
      expect(await sdk('call', { url, method })).toMatchObject({
        ok: false,
        error: { code: 404 },
      });
    }
    const left = await value(sdk('all', { options: { maxResults: 100 } }));
    expect(left.map((i: { id: string }) => i.id)).not.toContain(made.id);
  });

  it('refuses a second image of the same name with 409', async () => {
    const sdk = driver();
    const { path } = await imageFile('fw-twice.bin', 1000);
    const first = await value(sdk('create', { file: path, name: 'sdk-twice' }));
    expect(await sdk('create', { file: path, name: 'sdk-twice' })).toMatchObject({
      ok: false,
      error: { code: 409 },
    });
    await value(sdk('delete', { id: first.id }));
  });

  describe('lists', () => {
    const made: Array<{ id: string; name: string; datafileSize: number }> = [];

    beforeAll(async () => {
      const sdk = driver();
      for (let i = 0; i < 5; i++) {
        const { path } = await imageFile(`fw-list-${i}.bin`, 1000 + i);
        made.push(await value(sdk('create', { file: path, name: `sdk-list-${i}` })));
      }
    });

    it('pages through every image in ascending order, two at a time', async () => {
      const sdk = driver();
      const pages = await value(
        sdk('pages', { options: { pageSize: 2, maxResults: 100, order: 'ASC' } }),
      );
      expect(pages.map((p: { ids: string[] }) => p.ids)).toEqual([
        [made[0]!.id, made[1]!.id],
        [made[2]!.id, made[3]!.id],
        [made[4]!.id],
      ]);
      expect(pages.map((p: { hasMore: boolean }) => p.hasMore)).toEqual([true, true, false]);
    });

    it('pages through every image in descending order, two at a time', async () => {
      const sdk = driver();
      const pages = await value(
        sdk('pages', { options: { pageSize: 2, maxResults: 100, order: 'DESC' } }),
      );
      expect(pages.map((p: { ids: string[] }) => p.ids)).toEqual([
        [made[4]!.id, made[3]!.id],
        [made[2]!.id, made[1]!.id],
        [made[0]!.id],
      ]);
    });

    it('filters by name (eq, in), size (eq, nin) and id (neq)', async () => {
      const sdk = driver();
      const ids = async (filter: object) =>
        (
          (await value(sdk('all', { options: { filter, maxResults: 100 } }))) as Array<{
            id: string;
          }>
        )
          .map((i) => i.id)
          .sort();
      const sorted = (...xs: number[]) => xs.map((i) => made[i]!.id).sort();
      expect(await ids({ name: 'sdk-list-2' })).toEqual(sorted(2));
      expect(await ids({ name: { eq: 'sdk-list-3' } })).toEqual(sorted(3));
      expect(await ids({ name: { in: ['sdk-list-0', 'sdk-list-4'] } })).toEqual(sorted(0, 4));
      expect(await ids({ datafileSize: { eq: 1001 } })).toEqual(sorted(1));
      expect(await ids({ datafileSize: { nin: [1000, 1001, 1002] } })).toEqual(sorted(3, 4));
      expect(await ids({ id: { neq: made[0]!.id } })).toEqual(sorted(1, 2, 3, 4));
    });
  });
});
