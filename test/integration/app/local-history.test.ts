import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bootApp, type BootedApp } from '../../../src-main/app/boot';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import type {
  AccountView,
  HistoryExport,
  ImageView,
  JobView,
  Page,
  UploadView,
} from '../../../src-main/app/contract';
import { dispatch } from '../../../src-main/app/input-guards';
import { whenFired } from '../../../src-main/core/event';
import { useKeychain } from '../../helpers/keychain';
import { parseCsv } from '../../helpers/csv';

// The local history and the buttons around it, through the same guard every shell uses, against
// a sandbox with its control layer (the embedded one has none, and these tests throttle it), a
// real journal and the real keychain.
const keychain = useKeychain();
const MiB = 1024 * 1024;
let app: BootedApp | undefined;
let sb: Sandbox | undefined;
let dir = '';

afterEach(async () => {
  await app?.close();
  await sb?.close();
  app = sb = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function boot(cancelGraceMs?: number): Promise<BootedApp> {
  dir = mkdtempSync(join(tmpdir(), 'firmdrop-history-'));
  app = await bootApp({
    dataDir: join(dir, 'data'),
    version: '0.0.0-test',
    keychain,
    resolveFile: (ref) => ref,
    sandbox: false,
    ...(cancelGraceMs !== undefined ? { cancelGraceMs } : {}),
  });
  sb = await startSandbox({
    accounts: [{ key: `ak_${randomBytes(16).toString('hex')}`, tier: '1' }],
  });
  await call(app, 'accounts:add', {
    name: 'Sandbox lab',
    region: 'custom',
    baseUrl: sb.url,
    apiKey: sb.accounts[0]!.key,
  });
  return app;
}

async function call<T>(a: BootedApp, channel: string, input?: unknown): Promise<T> {
  const r = await dispatch(a.service.api, channel, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

function when(a: BootedApp, test: (v: UploadView) => boolean): Promise<UploadView> {
  return whenFired((l) => a.service.events.on('upload:changed', l), test);
}

async function sandboxId(a: BootedApp): Promise<string> {
  const [sb] = await call<AccountView[]>(a, 'accounts:list');
  return sb!.id;
}

async function start(a: BootedApp, fileName: string, size: number, name?: string) {
  const file = join(dir, fileName);
  writeFileSync(file, randomBytes(size));
  const accountId = await sandboxId(a);
  const [u] = await call<UploadView[]>(a, 'uploads:add', {
    uploads: [{ file: { ref: file, fileName, size }, accountId, ...(name ? { name } : {}) }],
  });
  return { upload: u!, accountId, file };
}

async function uploadDone(a: BootedApp, fileName: string, size: number, name?: string) {
  const started = await start(a, fileName, size, name);
  const done = when(a, (v) => v.id === started.upload.id && v.phase === 'done');
  return { ...started, done: await done };
}

describe('Clear finished vs. Delete history', () => {
  it('Clear finished only takes uploads off the queue; Delete history removes finished ones', async () => {
    const a = await boot();
    const { done, accountId } = await uploadDone(a, 'kept.bin', 64 * 1024);
    expect(done.inQueue).toBe(true);

    await call(a, 'uploads:clear-finished');
    const listed = await call<UploadView[]>(a, 'uploads:list');
    expect(listed.find((u) => u.id === done.id)).toMatchObject({ inQueue: false, verified: true });
    // The badge that depends on the history still says "verified here".
    const images = await call<Page<ImageView>>(a, 'images:list', { accountId });
    expect(images.items[0]).toMatchObject({ id: done.imageId, verifiedLocally: true });

    // An unfinished upload survives the deletion of history.
    sb!.faults.setBandwidth(2 * MiB);
    const paused = await start(a, 'paused.bin', 12 * MiB);
    const stopped = when(a, (v) => v.id === paused.upload.id && v.phase === 'paused');
    await call(a, 'uploads:pause', { id: paused.upload.id });
    await stopped;

    const removed: string[] = [];
    const sub = a.service.events.on('upload:removed', ({ id }) => removed.push(id));
    const result = await call<{ deleted: number }>(a, 'history:delete', {});
    sub.dispose();
    expect(result).toEqual({ deleted: 1 });
    expect(removed).toEqual([done.id]);
    const after = await call<UploadView[]>(a, 'uploads:list');
    expect(after.map((u) => u.id)).toEqual([paused.upload.id]);
    const again = await call<Page<ImageView>>(a, 'images:list', { accountId });
    expect(again.items[0]).toMatchObject({ id: done.imageId, verifiedLocally: false });
  });
});

describe('history export', () => {
  it('writes every row as CSV (escaped) and JSON, with the same content', async () => {
    const a = await boot();
    const tricky = '=sum, "quoted" build';
    const first = await uploadDone(a, 'plain.bin', 40 * 1024);
    const second = await uploadDone(a, 'two\nlines, "x".bin', 50 * 1024, tricky);
    const account = (await call<AccountView[]>(a, 'accounts:list'))[0]!;

    const csv = await call<HistoryExport>(a, 'history:export', { format: 'csv' });
    const json = await call<HistoryExport>(a, 'history:export', { format: 'json' });
    expect(csv).toMatchObject({ rows: 2, mimeType: 'text/csv' });
    expect(csv.fileName).toMatch(/^firmdrop-history-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(json.fileName).toMatch(/\.json$/);

    const [header, ...records] = parseCsv(csv.content);
    expect(header).toEqual([
      'file',
      'image_name',
      'account',
      'region',
      'size_bytes',
      'sha256',
      'image_id',
      'datafile_url',
      'verified',
      'started_at',
      'finished_at',
      'status',
      'group_id',
    ]);
    const fromJson = JSON.parse(json.content) as Array<Record<string, unknown>>;
    expect(records).toHaveLength(2);
    // Oldest first; each CSV record holds what the JSON row holds (the formula guard aside).
    const expected = [first, second].map(({ done }) => ({
      file: done.fileName,
      image_name: done.name,
      account: account.name,
      // A custom address (the test's own sandbox) is named by its host.
      region: new URL(account.baseUrl).host,
      size_bytes: done.totalBytes,
      sha256: done.sha256,
      image_id: done.imageId,
      datafile_url: done.datafileUrl,
      verified: true,
      started_at: done.createdAt,
      finished_at: done.finishedAt,
      status: 'done',
      group_id: '',
    }));
    expect(fromJson).toEqual(expected);
    records.forEach((record, i) => {
      const row = Object.fromEntries(header!.map((h, k) => [h, record[k]]));
      const want = Object.fromEntries(Object.entries(expected[i]!).map(([k, v]) => [k, String(v)]));
      // A cell a spreadsheet would run as a formula is kept as text with a leading apostrophe.
      if (want.image_name!.startsWith('=')) want.image_name = `'${want.image_name}`;
      expect(row).toEqual(want);
    });
    expect(second.done.name).toBe(tricky);

    // One account's history only.
    const none = await call<HistoryExport>(a, 'history:export', {
      format: 'json',
      accountId: account.id,
    });
    expect(JSON.parse(none.content)).toHaveLength(2);
    await expect(
      call(a, 'history:export', { format: 'json', accountId: 'no-such-account' }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('cancel with undo', () => {
  async function moving(a: BootedApp) {
    await call(a, 'settings:update', { chunkSizeMiB: 5 });
    sb!.faults.setBandwidth(4 * MiB);
    const started = await start(a, 'slow.bin', 24 * MiB);
    const id = started.upload.id;
    const withJob = await when(a, (v) => v.id === id && v.jobId !== null && v.bytesAcked > 0);
    return { ...started, id, jobId: withJob.jobId! };
  }
  const jobIds = async (a: BootedApp, accountId: string) =>
    (await call<Page<JobView>>(a, 'jobs:list', { accountId })).items.map((j) => j.id);

  it('stops at once, keeps the job until the time runs out, and Undo carries on', async () => {
    const a = await boot(60_000);
    const { id, jobId, accountId } = await moving(a);
    const { cancelAt } = await call<{ cancelAt: string }>(a, 'uploads:cancel', { id });
    expect(Date.parse(cancelAt)).toBeGreaterThan(Date.now() + 50_000);
    const view = (await call<UploadView[]>(a, 'uploads:list')).find((u) => u.id === id)!;
    expect(view).toMatchObject({ phase: 'paused', cancelAt });
    expect(await jobIds(a, accountId)).toContain(jobId);
    // Only Undo changes a pending cancel's course.
    await expect(call(a, 'uploads:resume', { id })).rejects.toMatchObject({
      code: 'invalid-state',
    });

    sb!.faults.setBandwidth(null);
    const done = when(a, (v) => v.id === id && v.phase === 'done');
    await call(a, 'uploads:undo-cancel', { id });
    expect((await done).verified).toBe(true);
  });

  it('deletes the server job only when the undo window has run out', async () => {
    const a = await boot(1500);
    const { id, jobId, accountId } = await moving(a);
    const cancelled = when(a, (v) => v.id === id && v.phase === 'cancelled');
    const asked = Date.now();
    await call(a, 'uploads:cancel', { id });
    expect(await jobIds(a, accountId)).toContain(jobId);
    const end = await cancelled;
    expect(Date.now() - asked).toBeGreaterThanOrEqual(1400);
    expect(end.cancelAt).toBeNull();
    expect(await jobIds(a, accountId)).not.toContain(jobId);
    await expect(call(a, 'uploads:undo-cancel', { id })).rejects.toMatchObject({
      message: expect.stringContaining('already cancelled'),
    });
  });

  it('carries out a pending cancel at the next start when the app closed during the window', async () => {
    const a = await boot(60_000);
    const { id, jobId, accountId } = await moving(a);
    await call(a, 'uploads:cancel', { id });
    // The journal says when; make that the past, as if the app had been closed meanwhile.
    a.runtime.store.uploads.updateUpload(id, { cancelAt: Date.now() - 1 });
    await a.close();
    app = await bootApp({
      dataDir: join(dir, 'data'),
      version: '0.0.0-test',
      keychain,
      resolveFile: (r) => r,
    });
    const b = app;
    const over =
      b.runtime.store.uploads.getUpload(id)?.state === 'cancelled'
        ? null
        : await when(b, (v) => v.id === id && v.phase === 'cancelled');
    expect(over?.phase ?? 'cancelled').toBe('cancelled');
    expect(await jobIds(b, accountId)).not.toContain(jobId);
  });
});

describe('default account', () => {
  it('is the only account, is never moved by adding one, and is set on purpose', async () => {
    const a = await boot();
    const sandbox = await sandboxId(a);
    expect(await call(a, 'accounts:default')).toEqual({ accountId: sandbox });

    const key = sb!.accounts[0]!.key;
    const added = await call<AccountView>(a, 'accounts:add', {
      name: 'Aardvark lab',
      region: 'custom',
      baseUrl: sb!.url,
      apiKey: key,
    });
    // Alphabetically first, newly added: still not where new drafts go.
    expect(added.isDefault).toBe(false);
    expect(await call(a, 'accounts:default')).toEqual({ accountId: sandbox });

    const views = await call<AccountView[]>(a, 'accounts:set-default', { id: added.id });
    expect(views.filter((v) => v.isDefault).map((v) => v.id)).toEqual([added.id]);
    expect(await call(a, 'accounts:default')).toEqual({ accountId: added.id });
    expect(await call(a, 'settings:get')).toMatchObject({ defaultAccountId: added.id });
    await expect(call(a, 'accounts:set-default', { id: 'nope' })).rejects.toMatchObject({
      code: 'not-found',
    });

    // Removing the default leaves no stale mark; the one account left is the default again.
    await call(a, 'accounts:remove', { id: added.id });
    expect(await call(a, 'accounts:default')).toEqual({ accountId: sandbox });
    expect(await call(a, 'settings:get')).toMatchObject({ defaultAccountId: '' });
  });
});

describe('start-up notices', () => {
  it('tells of interrupted uploads only while they are still interrupted', async () => {
    const a = await boot();
    await call(a, 'settings:update', { chunkSizeMiB: 5 });
    sb!.faults.setBandwidth(4 * MiB);
    const { upload } = await start(a, 'stopped.bin', 24 * MiB);
    await when(a, (v) => v.id === upload.id && v.bytesAcked > 0);
    // Quitting mid-way leaves it interrupted, as a crash or a closed laptop would.
    await a.close();
    app = await bootApp({
      dataDir: join(dir, 'data'),
      version: '0.0.0-test',
      keychain,
      resolveFile: (r) => r,
    });
    const b = app;
    const notices = async () => (await call<{ notices: string[] }>(b, 'app:info')).notices;
    expect(await notices()).toEqual([expect.stringMatching(/^1 upload was interrupted when/)]);
    // Asked again (another page load): still there, the upload still waits.
    expect(await notices()).toHaveLength(1);

    const done = when(b, (v) => v.id === upload.id && v.phase === 'done');
    await call(b, 'uploads:resume', { id: upload.id });
    await done;
    expect(await notices()).toEqual([]);
  });
});
