import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import { api } from '../../helpers/sandbox-client';
import {
  download,
  envCredentials,
  json,
  runCli,
  startCli,
  useBuiltCli,
  useScratch,
} from './cli-fixture';

const KEY = 'ak_cli_kill_0123456789';
const cli = useBuiltCli();
const scratch = useScratch();
let sb: Sandbox | undefined;
let n = 0;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function setup() {
  sb = await startSandbox({ accounts: [{ key: KEY, tier: '1' }] });
  const dataDir = join(scratch.dir(), `data-${++n}`);
  const env = envCredentials(sb.url, KEY);
  const args = (...a: string[]) => ['--data-dir', dataDir, ...a];
  return {
    sb,
    dataDir,
    env,
    start: (...a: string[]) => startCli(cli(), args(...a), { env }),
    run: (...a: string[]) => runCli(cli(), args(...a), { env }),
  };
}

/** The journal as a killed run left it, read without changing it; and SQLite's own check of it. */
function inspectJournal(dataDir: string) {
  const db = new Sqlite(join(dataDir, 'firmdrop.db'), { readonly: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const uploads = db.prepare('SELECT id, state, job_id FROM uploads').all() as Array<{
      id: string;
      state: string;
      job_id: string | null;
    }>;
    const acked = db.prepare('SELECT COUNT(*) AS n FROM upload_chunks WHERE acked = 1').get() as {
      n: number;
    };
    return { integrity, uploads, acked: acked.n };
  } finally {
    db.close();
  }
}

async function serverSide(s: Sandbox) {
  const images = await api(s.url, KEY, 'GET', '/v3/firmware-images/?limit=100');
  const jobs = await api(s.url, KEY, 'GET', '/v3/firmware-images/upload-jobs?limit=100');
  return {
    images: images.json.data as Array<{ id: string; datafile: string }>,
    openJobs: (jobs.json.data as Array<{ status: string }>).filter((j) => j.status !== 'completed'),
  };
}

describe('firmdrop resume after a killed, stopped or failed run', () => {
  it('finishes after SIGKILL at several points, appending every chunk exactly once', async () => {
    const t = await setup();
    const f = scratch.file('forty.bin', 40 * MiB);
    const chunks = 8;
    t.sb.faults.setBandwidth(8 * MiB);

    // 1. Killed right after the server acknowledged the first chunk.
    const first = t.start('upload', f.path, '--chunk-size', '5');
    await first.waitForStderr(/^forty\.bin: uploading chunk 2 of 8$/);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    let journal = inspectJournal(t.dataDir);
    expect(journal.integrity).toBe('ok');
    expect(journal.uploads).toHaveLength(1);
    expect(journal.uploads[0]?.job_id).toMatch(/^[0-9a-f]{32}$/);
    expect(journal.acked).toBeGreaterThanOrEqual(1);

    // 2. Killed in the middle of a chunk's body: once 2 of its 5 MiB have reached the server.
    const second = t.start('resume');
    await second.waitForStderr(/^forty\.bin: uploading chunk 4 of 8$/);
    await t.sb.when('bytesReceived', t.sb.stats().bytesReceived + 2 * MiB);
    second.child.kill('SIGKILL');
    await second.done;
    journal = inspectJournal(t.dataDir);
    expect(journal.integrity).toBe('ok');
    // Chunk 4 was in flight: the killed run never heard its answer. (The kernel may still hand
    // the server the rest of what the process had written; the next run reconciles that.)
    expect(journal.acked).toBe(3);

    // 3. Killed while it reconciles with the server, before anything new is sent.
    const third = t.start('resume');
    await third.waitForStderr(/^forty\.bin: checking$/);
    third.child.kill('SIGKILL');
    await third.done;
    expect(inspectJournal(t.dataDir).integrity).toBe('ok');

    // 4. Left to finish, at full speed.
    t.sb.faults.setBandwidth(null);
    const last = await t.run('resume', '--json');
    expect(last.code, last.stderr).toBe(0);
    const [out] = json(last);
    expect(out).toMatchObject({
      file: f.path,
      state: 'done',
      verified: true,
      datafile_checksum: f.sha256,
      datafile_size: 40 * MiB,
    });
    expect((await download(out.datafile)).equals(f.data)).toBe(true);
    const server = await serverSide(t.sb);
    expect(server.images.map((i) => i.id)).toEqual([out.firmware_image_id]);
    expect(server.openJobs).toEqual([]);
    // Nothing appended twice: one append per data chunk over all four runs.
    expect(t.sb.stats().chunksAppended).toBe(chunks);
    expect(t.sb.stats().jobsCompleted).toBe(1);
    expect(inspectJournal(t.dataDir).integrity).toBe('ok');
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'on %s stops gracefully (interrupted, exit %i) and resume finishes',
    async (signal, code) => {
      const t = await setup();
      const f = scratch.file(`graceful-${signal}.bin`, 20 * MiB);
      t.sb.faults.setBandwidth(8 * MiB);
      const run = t.start('upload', f.path, '--chunk-size', '5');
      await run.waitForStderr(/uploading chunk 2 of 4$/);
      run.child.kill(signal);
      const stopped = await run.done;
      expect(stopped.code).toBe(code);
      expect(stopped.stderr).toContain(`firmdrop: ${signal} received: stopping uploads`);
      expect(stopped.stderr).toMatch(
        /firmdrop: graceful-SIG\w+\.bin: interrupted; run "firmdrop resume [0-9a-f-]{36}" to finish it\./,
      );
      const [row] = json(await t.run('uploads', '--json'));
      expect(row).toMatchObject({ state: 'interrupted', verified: false });
      t.sb.faults.setBandwidth(null);
      const resumed = await t.run('resume', row.id, '--json');
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(json(resumed)[0]).toMatchObject({
        upload_id: row.id,
        verified: true,
        datafile_checksum: f.sha256,
      });
      expect(t.sb.stats().chunksAppended).toBe(4);
    },
  );

  it('uploads cancel stops an interrupted upload for good and deletes its job on the server', async () => {
    const t = await setup();
    const f = scratch.file('cancel-me.bin', 15 * MiB);
    t.sb.faults.setBandwidth(8 * MiB);
    const run = t.start('upload', f.path, '--chunk-size', '5');
    await run.waitForStderr(/uploading chunk 2 of 3$/);
    run.child.kill('SIGKILL');
    await run.done;
    t.sb.faults.setBandwidth(null);
    expect((await serverSide(t.sb)).openJobs).toHaveLength(1);
    const [row] = json(await t.run('uploads', '--json'));
    const cancelled = await t.run('uploads', 'cancel', row.id.slice(0, 8));
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toBe(
      'cancel-me.bin: Cancelled; its upload job was deleted from the server.\n',
    );
    expect((await serverSide(t.sb)).openJobs).toEqual([]);
    expect(json(await t.run('uploads', '--json'))[0].state).toBe('cancelled');
    const again = await t.run('resume', row.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('was cancelled; upload the file again');
  });

  it('resume retries a failed upload, under the free name it suggested', async () => {
    const t = await setup();
    const f = scratch.file('clash.bin', 9 * MiB);
    // Someone else takes the name between the pre-flight check and the job's creation.
    t.sb.faults.inject({
      kind: 'status',
      status: 409,
      method: 'POST',
      path: /upload-jobs$/,
      times: 1,
    });
    const failed = await t.run('upload', f.path, '--chunk-size', '5', '--name', 'clash');
    expect(failed.code).toBe(1);
    const [row] = json(await t.run('uploads', '--json'));
    expect(row).toMatchObject({ state: 'failed', error_code: 'name-taken' });
    expect(failed.stderr).toContain(`run: firmdrop resume ${row.id} --name 'clash (2)'`);
    const renamed = await t.run('resume', row.id, '--name', 'clash (2)', '--json');
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(json(renamed)[0]).toMatchObject({
      name: 'clash (2)',
      verified: true,
      datafile_checksum: f.sha256,
    });
    // A failure of another kind is retried as it was.
    t.sb.faults.inject({ kind: 'status', status: 400, method: 'POST', path: /chunks$/, times: 1 });
    const g = scratch.file('retry.bin', 9 * MiB);
    const second = await t.run('upload', g.path, '--chunk-size', '5', '--json');
    expect(second.code).toBe(1);
    expect(json(second)[0]).toMatchObject({ state: 'failed', error_code: 'invalid-input' });
    const retried = await t.run('resume', '--json');
    expect(retried.code, retried.stderr).toBe(0);
    expect(json(retried)[0]).toMatchObject({ name: 'retry.bin', verified: true });
  });

  it('a second run leaves the first run’s live upload alone instead of resuming it under it', async () => {
    const t = await setup();
    const f = scratch.file('owned.bin', 15 * MiB);
    t.sb.faults.setBandwidth(4 * MiB);
    const first = t.start('upload', f.path, '--chunk-size', '5');
    await first.waitForStderr(/uploading chunk 1 of 3$/);
    const [row] = json(await t.run('uploads', '--json'));
    const second = await t.run('resume');
    expect(second.code).toBe(0);
    expect(second.stderr).toBe(
      `firmdrop: leaving ${row.id} ("owned.bin") alone: the firmdrop command (process ${first.child.pid}) is working on it.\n` +
        'firmdrop: nothing to resume.\n',
    );
    expect(first.child.exitCode).toBe(null);
    t.sb.faults.setBandwidth(null);
    expect((await first.done).code).toBe(0);
    expect(t.sb.stats().chunksAppended).toBe(3);
  });

  it('after SIGKILL with adaptive, mixed chunk sizes, resume appends every chunk exactly once', async () => {
    const t = await setup();
    const f = scratch.file('mixed.bin', 90 * MiB);
    // Mixed sizes: the sizer takes 4× the first chunk next, then grows while a round trip per
    // request costs more than it should (the first chunk's own size is chunk-pipe.test.ts's).
    t.sb.faults.setLatency(40);
    t.sb.faults.setBandwidth(30 * MiB);
    const first = t.start('upload', f.path);
    // Killed as chunk 3 starts: its row is journaled, its body may or may not have arrived.
    await first.waitForStderr(/^mixed\.bin: uploading chunk 3 of ~?\d+$/);
    first.child.kill('SIGKILL');
    await first.done;
    await t.sb.settled();
    const db = new Sqlite(join(t.dataDir, 'firmdrop.db'), { readonly: true });
    const sizesAtKill = (
      db.prepare('SELECT length FROM upload_chunks ORDER BY idx').all() as Array<{ length: number }>
    ).map((r) => r.length);
    db.close();
    const [one = 0, two] = sizesAtKill;
    expect(one).toBeGreaterThanOrEqual(5 * MiB);
    expect(two).toBe(4 * one);

    t.sb.faults.setLatency(0);
    t.sb.faults.setBandwidth(null);
    const last = await t.run('resume', '--json');
    expect(last.code, last.stderr).toBe(0);
    const [out] = json(last);
    expect(out).toMatchObject({ state: 'done', verified: true, datafile_checksum: f.sha256 });
    expect((await download(out.datafile)).equals(f.data)).toBe(true);
    const after = new Sqlite(join(t.dataDir, 'firmdrop.db'), { readonly: true });
    const rows = after.prepare('SELECT COUNT(*) AS n FROM upload_chunks').get() as { n: number };
    after.close();
    expect(t.sb.stats().chunksAppended).toBe(rows.n);
    expect((await serverSide(t.sb)).openJobs).toEqual([]);
  });
});
