import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/app/paths';
import { createDmClient } from '../../../src-main/dm/client';
import { createKeytarStore } from '../../../src-main/secrets';
import { openStore } from '../../../src-main/store';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { json, runCli, startCli, useBuiltCli, useScratch } from './cli-fixture';

/**
 * The command line goes through the app service, so the rules the app keeps hold for it too:
 * one test for each place where the CLI used to go its own way (issue 13).
 */
const KEY = 'ak_cli_one_road_0123456789abcdef';
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1', name: 'One Road' }] });
const scratch = useScratch();
// A keychain service of this file's own, in the private keyring /work/kr.sh (or npm test) starts.
const service = `Firmdrop-one-road-${randomUUID()}`;
const keychain = createKeytarStore({ service });
let n = 0;

beforeAll(async () => {
  const status = await keychain.probe();
  if (!status.ok) throw new Error(`These tests need a working OS keychain: ${status.message}`);
});

/** A data folder with one stored account ("lab", its key in the keychain) for the sandbox. */
async function session() {
  const dataDir = join(scratch.dir(), `data-${++n}`);
  const env = { FIRMDROP_KEYCHAIN_SERVICE: service };
  const run = (args: string[], input?: string) =>
    runCli(cli(), ['--data-dir', dataDir, ...args], { env, input });
  const add = await run(['accounts', 'add', 'lab', '--region', sandbox().url], `${KEY}\n`);
  expect(add.code, add.stderr).toBe(0);
  const db = join(dataDir, DATABASE_FILE);
  return { dataDir, env, run, db };
}

describe('the CLI keeps the app service rules', () => {
  it('accounts remove refuses the built-in sandbox account and keeps its row and key', async () => {
    const s = await session();
    // The desktop app's first start made its built-in sandbox account in this folder.
    const store = openStore({ file: s.db });
    const builtIn = store.accounts.create({
      name: 'Sandbox (local)',
      baseUrl: sandbox().url,
      region: 'custom',
      isSandbox: true,
    });
    store.close();
    await keychain.set(builtIn.id, KEY);

    const r = await s.run(['accounts', 'remove', 'Sandbox (local)']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      '"Sandbox (local)" is the built-in local sandbox account and cannot be removed.',
    );
    const names = json(await s.run(['accounts', 'list', '--json'])).map(
      (a: { name: string }) => a.name,
    );
    expect(names).toContain('Sandbox (local)');
    expect(await keychain.get(builtIn.id)).toBe(KEY);
    await keychain.delete(builtIn.id);
  });

  it('jobs delete refuses a job that belongs to an unfinished upload, and deletes it once that upload is cancelled', async () => {
    const s = await session();
    const dm = createDmClient({ baseUrl: sandbox().url, apiKey: KEY });
    const job = await dm.createUploadJob({ name: 'one-road-job', description: '', encrypt: false });
    // A paused upload of ours owns that job (as a run that was paused mid-way leaves it).
    const store = openStore({ file: s.db });
    const account = store.accounts.getByName('lab');
    if (!account) throw new Error('no account "lab"');
    const upload = store.uploads.createUpload({
      accountId: account.id,
      filePath: '/firmware/one-road.bin',
      fileSize: 12 * 1024 * 1024,
      fileMtimeMs: 1,
      name: 'one-road-job',
      path: 'job',
      chunkSize: 5 * 1024 * 1024,
    });
    store.uploads.setJob(upload.id, job.id);
    store.uploads.updateUpload(upload.id, { state: 'paused' });

    try {
      const refused = await s.run(['jobs', 'delete', job.id, '--account', 'lab']);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toContain(
        'This job belongs to the upload "one-road-job", which is not finished. Cancel that upload instead',
      );
      expect((await dm.getUploadJob(job.id)).id).toBe(job.id);

      store.uploads.updateUpload(upload.id, { state: 'cancelled' });
      const deleted = await s.run(['jobs', 'delete', job.id, '--account', 'lab']);
      expect(deleted.code, deleted.stderr).toBe(0);
      await expect(dm.getUploadJob(job.id)).rejects.toMatchObject({ status: 404 });
    } finally {
      store.close();
      await dm.close();
    }
  });

  it('a SIGKILL during pre-flight leaves no queued upload in the journal', async () => {
    const s = await session();
    const a = scratch.file('road-a.bin', 1000);
    const b = scratch.file('road-b.bin', 1000);
    // Pre-flight asks the server about the batch's names in one look-up per list (images, then
    // upload jobs, together). The upload-jobs question is held, so the command is killed while
    // both files are being checked.
    const fired = () => sandbox().stats().faultsFired.delay;
    const before = fired();
    sandbox().faults.inject({
      kind: 'delay',
      ms: 120_000,
      method: 'GET',
      path: /upload-jobs$/,
      times: 1,
    });
    const running = startCli(cli(), ['--data-dir', s.dataDir, 'upload', a.path, b.path], {
      env: s.env,
    });
    await until(() => fired() === before + 1 || running.child.exitCode !== null);
    expect(fired(), running.stderr()).toBe(before + 1);
    running.child.kill('SIGKILL');
    expect((await running.done).signal).toBe('SIGKILL');
    sandbox().faults.clear();

    mkdirSync(s.dataDir, { recursive: true });
    const store = openStore({ file: s.db });
    try {
      expect(store.uploads.listUploads({ limit: 100 })).toEqual([]);
    } finally {
      store.close();
    }
    // And nothing is left for a later "resume" to send.
    const resume = await s.run(['resume', '--json']);
    expect(resume.code, resume.stderr).toBe(0);
    expect(json(resume)).toEqual([]);
  });
});

/** Waits for a position of the world (a fault fired), looking every 10 ms, for at most 20 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition did not come true in 20 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}
