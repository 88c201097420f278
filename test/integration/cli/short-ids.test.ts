import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/app/paths';
import { openStore } from '../../../src-main/store';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { createJob, postImage } from '../../helpers/sandbox-client';
import { envSessions, json, useBuiltCli, useScratch } from './cli-fixture';

// Any unique start of an id (4 characters or more) names an image, a job or an upload, as in git.
// The service filters ids only by whole values, so the CLI pages through the account's list; the
// sandbox hands out time-ordered ids, so ids made a moment apart share a long start.
const KEY = 'ak_cli_short_ids_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });
const scratch = useScratch();
const session = envSessions(cli, scratch, () => sandbox().url, KEY);

/** The longest start `a` and `b` share. */
function common(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i += 1;
  return a.slice(0, i);
}

async function image(name: string): Promise<{ id: string; name: string }> {
  const res = await postImage(sandbox().url, KEY, { data: Buffer.from(name), name });
  expect(res.status).toBe(201);
  return res.json;
}

describe('short ids', () => {
  it('images: a unique start names one image; a shared start lists the candidates (exit 2)', async () => {
    const s = session();
    const a = await image('short-a');
    const b = await image('short-b');
    const shared = common(a.id, b.id);
    expect(shared.length).toBeGreaterThanOrEqual(4);
    const unique = a.id.slice(0, shared.length + 1);

    expect(json(await s.run('images', 'show', unique, '--json'))).toMatchObject({ id: a.id });

    const many = await s.run('images', 'show', shared);
    expect(many.code).toBe(2);
    expect(many.stdout).toBe('');
    expect(many.stderr).toContain(`firmdrop images: "${shared}" starts `);
    expect(many.stderr).toMatch(new RegExp(`^  ${a.id}  short-a$`, 'm'));
    expect(many.stderr).toMatch(new RegExp(`^  ${b.id}  short-b$`, 'm'));

    // A delete by a shared start deletes nothing.
    const del = await s.run('images', 'delete', shared, '--yes');
    expect(del.code).toBe(2);
    const still = json(await s.run('images', 'list', '--json')).map((i: { id: string }) => i.id);
    expect(still).toEqual(expect.arrayContaining([a.id, b.id]));

    const deleted = await s.run('images', 'delete', unique, '--yes');
    expect(deleted).toMatchObject({
      code: 0,
      stdout: `Deleted firmware image ${a.id} (short-a).\n`,
    });
  });

  it('jobs: show, chunks and delete take a unique start', async () => {
    const s = session();
    const a = await createJob(sandbox().url, KEY, { name: 'short-job-a' });
    const b = await createJob(sandbox().url, KEY, { name: 'short-job-b' });
    const shared = common(a.id, b.id);
    const unique = b.id.slice(0, shared.length + 1);
    expect(json(await s.run('jobs', 'show', unique, '--json'))).toMatchObject({ id: b.id });
    expect((await s.run('jobs', 'chunks', unique)).stdout).toBe(
      `Upload job ${b.id} has no chunks yet.\n`,
    );
    const many = await s.run('jobs', 'delete', shared, '--yes');
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(new RegExp(`^  ${a.id}  short-job-a$`, 'm'));
    expect((await s.run('jobs', 'delete', unique, '-y')).stdout).toBe(
      `Deleted upload job ${b.id} (short-job-b).\n`,
    );
  });

  it('no match and too short: clear errors, the short one before anything is sent', async () => {
    const s = session();
    const none = await s.run('jobs', 'show', 'ffff');
    expect(none).toMatchObject({
      code: 1,
      stderr:
        'firmdrop: No upload job id starts with "ffff". "firmdrop jobs list" shows the ids.\n',
    });
    const before = sandbox().stats().requests;
    const short = await s.run('jobs', 'delete', '01a', '--yes');
    expect(short.code).toBe(2);
    expect(short.stderr).toBe(
      'firmdrop jobs: "01a" is too short to name an upload job: give at least 4 characters of its id (see "firmdrop jobs list").\n',
    );
    expect(sandbox().stats().requests).toBe(before);
  });

  it('uploads: a unique start of a journal id; a shared one lists ids and names', async () => {
    const s = session();
    const f = scratch.file('short-up.bin', 1000);
    expect((await s.run('upload', f.path, '-q')).code).toBe(0);
    const store = openStore({ file: join(s.dataDir, DATABASE_FILE) });
    try {
      const [account] = store.accounts.list();
      if (!account) throw new Error('no account in the journal');
      const row = (id: string, name: string) =>
        store.uploads.createUpload({
          id,
          accountId: account.id,
          filePath: f.path,
          fileSize: 1000,
          fileMtimeMs: 1,
          name,
          path: 'small',
          state: 'paused',
        });
      row('abcd0001-0000-4000-8000-000000000000', 'paused-one');
      row('abcd0002-0000-4000-8000-000000000000', 'paused-two');
    } finally {
      store.close();
    }
    const many = await s.run('uploads', 'cancel', 'abcd');
    expect(many.code).toBe(2);
    expect(many.stderr).toBe(
      [
        'firmdrop uploads: "abcd" starts 2 upload ids; give more of the one you mean:',
        '  abcd0002-0000-4000-8000-000000000000  paused-two',
        '  abcd0001-0000-4000-8000-000000000000  paused-one',
        '',
      ].join('\n'),
    );
    const one = await s.run('uploads', 'cancel', 'abcd0001', '--json');
    expect(one.code, one.stderr).toBe(0);
    expect(json(one)).toMatchObject({
      id: 'abcd0001-0000-4000-8000-000000000000',
      state: 'cancelled',
    });
    // A finished upload is found by its start too (not only the unfinished ones).
    const [done] = json(await s.run('uploads', '--json', '--state', 'done'));
    const resumed = await s.run('resume', done.id.slice(0, 8));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^short-up\.bin: uploaded and verified as image /);
  });
});
