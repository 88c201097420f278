import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bootApp, type BootedApp } from '../../../src-main/app/boot';
import type { ContractError, UploadView } from '../../../src-main/app/contract';
import { dispatch } from '../../../src-main/app/input-guards';
import { whenFired } from '../../../src-main/core/event';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import { useKeychain } from '../../helpers/keychain';

const keychain = useKeychain();
const KEY = 'ak_fanout_app_second_0123456789';
let second: Sandbox;
let app: BootedApp | undefined;
let dir = '';

beforeAll(async () => {
  second = await startSandbox({ accounts: [{ key: KEY, tier: '1' }] });
});
afterAll(() => second.close());
afterEach(async () => {
  await app?.close();
  app = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function call<T>(a: BootedApp, channel: string, input?: unknown): Promise<T> {
  const r = await dispatch(a.service.api, channel, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

/** The app (its built-in sandbox account) plus an account "Second" on another sandbox. */
async function boot(): Promise<{ a: BootedApp; first: string; other: string }> {
  dir = mkdtempSync(join(tmpdir(), 'firmdrop-fanout-app-'));
  const a = await bootApp({
    dataDir: join(dir, 'data'),
    version: '0.0.0-test',
    keychain,
    resolveFile: (ref) => ref,
  });
  app = a;
  const [first] = await call<Array<{ id: string }>>(a, 'accounts:list');
  const other = await call<{ id: string }>(a, 'accounts:add', {
    name: 'Second',
    region: 'custom',
    baseUrl: second.url,
    apiKey: KEY,
  });
  return { a, first: first!.id, other: other.id };
}

function stagedFile(name: string, bytes: number) {
  const path = join(dir, name);
  writeFileSync(path, randomBytes(bytes));
  return { ref: path, fileName: name, size: bytes };
}

function untilEnded(a: BootedApp, id: string): Promise<UploadView> {
  return whenFired(
    (l) => a.service.events.on('upload:changed', l),
    (v) => v.id === id && ['done', 'failed', 'cancelled'].includes(v.phase),
  );
}

/** Takes the name on the second account with a real upload there. */
async function takeNameOnSecond(a: BootedApp, other: string, name: string): Promise<void> {
  const [u] = await call<UploadView[]>(a, 'uploads:add', {
    uploads: [{ file: stagedFile('other.bin', 1000), accountId: other, name }],
  });
  expect((await untilEnded(a, u!.id)).phase).toBe('done');
}

describe('uploads:add with one file for several accounts (fan-out)', () => {
  it('groups the targets under one id and verifies each on its own account', async () => {
    const { a, first, other } = await boot();
    const file = stagedFile('fw-2.3.1.bin', 9 * 1024 * 1024);
    const added = await call<UploadView[]>(a, 'uploads:add', {
      uploads: [
        { file, accountId: first },
        { file, accountId: other },
      ],
    });
    expect(added.map((v) => v.accountId)).toEqual([first, other]);
    expect(added[0]!.groupId).not.toBeNull();
    expect(added[1]!.groupId).toBe(added[0]!.groupId);
    const ended = await Promise.all(added.map((v) => untilEnded(a, v.id)));
    expect(ended.map((v) => [v.phase, v.verified])).toEqual([
      ['done', true],
      ['done', true],
    ]);
    expect(ended[0]!.sha256).toBe(ended[1]!.sha256);
    // The audit trail says which uploads were one fan-out.
    const exported = await call<{ content: string }>(a, 'history:export', { format: 'json' });
    const rows = JSON.parse(exported.content) as Array<{ image_name: string; group_id: string }>;
    expect(rows.filter((r) => r.image_name === 'fw-2.3.1.bin').map((r) => r.group_id)).toEqual([
      added[0]!.groupId,
      added[0]!.groupId,
    ]);
    // A file to one account is no group.
    const [single] = await call<UploadView[]>(a, 'uploads:add', {
      uploads: [{ file: stagedFile('one.bin', 1000), accountId: other }],
    });
    expect(single!.groupId).toBeNull();
  });

  it('all or nothing: a name taken on one target refuses the whole call, naming that account', async () => {
    const { a, first, other } = await boot();
    await takeNameOnSecond(a, other, 'fw-taken');
    const before = (await call<UploadView[]>(a, 'uploads:list')).length;
    const file = stagedFile('fw.bin', 6 * 1024 * 1024);
    const r = await dispatch(a.service.api, 'uploads:add', {
      uploads: [
        { file, accountId: first, name: 'fw-taken' },
        { file, accountId: other, name: 'fw-taken' },
      ],
    });
    expect(r.ok).toBe(false);
    const error = (r as { error: ContractError }).error;
    expect(error.code).toBe('name-taken');
    expect(error.message).toMatch(/account "Second" refused fw\.bin: .*fw-taken/);
    expect(error.targets).toEqual([
      expect.objectContaining({
        index: 1,
        accountId: other,
        accountName: 'Second',
        fileName: 'fw.bin',
        code: 'name-taken',
        suggestion: expect.any(String),
      }),
    ]);
    // Nothing journaled; nothing reached the first account's server.
    expect((await call<UploadView[]>(a, 'uploads:list')).length).toBe(before);
    const jobs = await call<{ items: unknown[] }>(a, 'jobs:list', { accountId: first });
    const images = await call<{ total: number }>(a, 'images:list', { accountId: first });
    expect([jobs.items.length, images.total]).toEqual([0, 0]);
  });

  it('partial: the refused target is told and the others start', async () => {
    const { a, first, other } = await boot();
    await takeNameOnSecond(a, other, 'fw-taken-partial');
    const notices: string[] = [];
    a.service.events.on('notice', (n) => notices.push(n.message));
    const file = stagedFile('fw.bin', 6 * 1024 * 1024);
    const added = await call<UploadView[]>(a, 'uploads:add', {
      partial: true,
      uploads: [
        { file, accountId: first, name: 'fw-taken-partial' },
        { file, accountId: other, name: 'fw-taken-partial' },
      ],
    });
    expect(added.map((v) => v.accountId)).toEqual([first]);
    expect(notices).toEqual([expect.stringMatching(/^Not sent to "Second": fw\.bin: /)]);
    expect(await untilEnded(a, added[0]!.id)).toMatchObject({ phase: 'done', verified: true });
  });
});
