import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { useSandbox } from '../../helpers/sandbox-fixture';
import {
  download,
  envCredentials,
  json,
  runCli,
  startCli,
  startWebApp,
  useBuiltCli,
  useScratch,
  type Running,
  type RunningWebApp,
} from './cli-fixture';

/**
 * The CLI and the web app on one data folder, as separate processes over one SQLite journal:
 * nothing locks the folder for uploads any more, each upload is worked by the process holding
 * its lease, and the others leave it alone, saying who has it.
 */
const KEY = 'ak_cli_beside_app_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });
const scratch = useScratch();
let web: RunningWebApp | undefined;
const started: Running[] = [];
let n = 0;

afterEach(async () => {
  // A failed test must not leave its uploader running into the next one.
  for (const r of started.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  await web?.stop();
  web = undefined;
});

function session() {
  const dataDir = join(scratch.dir(), `data-${++n}`);
  const env = envCredentials(sandbox().url, KEY);
  const args = (...a: string[]) => ['--data-dir', dataDir, ...a];
  return {
    dataDir,
    start: (...a: string[]) => {
      const r = startCli(cli(), args(...a), { env });
      started.push(r);
      return r;
    },
    run: (...a: string[]) => runCli(cli(), args(...a), { env }),
  };
}

describe('firmdrop beside the web app on the same data folder', () => {
  it('uploads while the app is open and idle, without waiting on it; both list it done', async () => {
    const s = session();
    web = await startWebApp(cli(), s.dataDir);
    const f = scratch.file('beside.bin', 11 * MiB);
    const appendedBefore = sandbox().stats().chunksAppended;
    const started = Date.now();
    const r = await s.run('upload', f.path, '--chunk-size', '5');
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.stderr).not.toMatch(/another firmdrop|waiting/);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^beside\.bin: done, verified \(image /);

    const [row] = json(await s.run('uploads', '--json'));
    expect(row).toMatchObject({ name: 'beside.bin', state: 'done', verified: true });
    expect((await download(row.datafile)).equals(f.data)).toBe(true);
    expect(sandbox().stats().chunksAppended - appendedBefore).toBe(3);
    expect((await s.run('uploads')).stdout).toMatch(/^\S+\s+done\s+beside\.bin\s+11\.0 MiB\s/m);

    const listed = await web.invoke('uploads:list');
    expect(listed.ok).toBe(true);
    expect(listed.value).toEqual([
      expect.objectContaining({
        id: row.id,
        phase: 'done',
        verified: true,
        workedElsewhere: null,
      }),
    ]);
    expect(await web.stop()).toBe(143);
    web = undefined;
  });

  it('an upload the CLI is sending is left alone by resume, by an app opened meanwhile, and by its pause', async () => {
    const s = session();
    const big = scratch.file('throttled.bin', 20 * MiB);
    const appendedBefore = sandbox().stats().chunksAppended;
    sandbox().faults.setBandwidth(2 * MiB); // 10 s for the whole file: it outlasts every step below
    const sender = s.start('upload', big.path, '--chunk-size', '5');
    await sender.waitForStderr(/^throttled\.bin: uploading chunk 1 of 4$/);
    const pid = sender.child.pid as number;
    const owner = `the firmdrop command (process ${pid})`;
    const [row] = json(await s.run('uploads', '--json'));
    expect(row).toMatchObject({ name: 'throttled.bin', state: 'uploading' });

    // A second CLI process: resume leaves it to its sender.
    const resume = await s.run('resume');
    expect(resume.code, resume.stderr).toBe(0);
    expect(resume.stderr).toBe(
      `firmdrop: leaving ${row.id} ("throttled.bin") alone: ${owner} is working on it.\n` +
        'firmdrop: nothing to resume.\n',
    );
    // Nor can it be cancelled from another process while its sender lives.
    const cancel = await s.run('uploads', 'cancel', row.id);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toContain(`This upload is being worked on by ${owner}.`);

    // The app, opened now, does not take the live upload for one a crash left interrupted…
    web = await startWebApp(cli(), s.dataDir);
    expect((await web.invoke('app:info')).value.notices).toEqual([]);
    // …shows whose it is, and refuses to pause what it does not hold.
    const listed = await web.invoke('uploads:list');
    expect(listed.value).toEqual([
      expect.objectContaining({ id: row.id, workedElsewhere: owner, phase: 'uploading' }),
    ]);
    const pause = await web.invoke('uploads:pause', { id: row.id });
    expect(pause).toEqual({
      ok: false,
      error: expect.objectContaining({
        code: 'invalid-state',
        message: expect.stringContaining(`This upload is being worked on by ${owner}.`),
      }),
    });
    expect((await web.invoke('uploads:cancel', { id: row.id })).ok).toBe(false);

    // Another upload from the command line goes on beside it; the live one is not "unfinished".
    const small = scratch.file('beside-small.bin', 3000);
    const other = await s.run('upload', small.path);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stderr).not.toContain('unfinished');

    sandbox().faults.setBandwidth(null);
    const done = await sender.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).not.toMatch(/paused|cancelled|interrupted/);
    const after = json(await s.run('uploads', '--json')).find(
      (u: { id: string }) => u.id === row.id,
    );
    expect(after).toMatchObject({ state: 'done', verified: true, datafile_checksum: big.sha256 });
    expect((await download(after.datafile)).equals(big.data)).toBe(true);
    expect(sandbox().stats().chunksAppended - appendedBefore).toBe(4);
    const again = await web.invoke('uploads:list');
    expect(again.value.find((u: { id: string }) => u.id === row.id)).toMatchObject({
      phase: 'done',
      verified: true,
      workedElsewhere: null,
    });
  });
});

describe('firmdrop runs started at the same moment on a new data folder', () => {
  it('all open it (one creates the journal, the others wait for it and use it)', async () => {
    for (let round = 1; round <= 5; round++) {
      const s = session();
      const at = await Promise.all([1, 2, 3].map(() => s.run('uploads', '--json')));
      for (const r of at) {
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(json(r)).toEqual([]);
      }
    }
  });
});
