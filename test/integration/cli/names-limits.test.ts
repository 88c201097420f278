import { describe, expect, it } from 'vitest';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { createJob, postImage } from '../../helpers/sandbox-client';
import { envSessions, json, useBuiltCli, useScratch } from './cli-fixture';

// Images by name (the service's name__eq filter), and lists cut short by --limit that say so.
const KEY = 'ak_cli_names_limits_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });
const scratch = useScratch();
const session = envSessions(cli, scratch, () => sandbox().url, KEY);

async function image(name: string): Promise<{ id: string; name: string }> {
  const res = await postImage(sandbox().url, KEY, { data: Buffer.from(name), name });
  expect(res.status).toBe(201);
  return res.json;
}

describe('images by name, --limit notes', () => {
  it('images show takes an exact name; images list --name filters by it', async () => {
    const s = session();
    const a = await image('named fw 1.0');
    await image('named fw 1.0-rc');
    const shown = await s.run('images', 'show', 'named fw 1.0', '--json');
    expect(shown.code, shown.stderr).toBe(0);
    expect(json(shown)).toMatchObject({ id: a.id, name: 'named fw 1.0' });
    expect((await s.run('images', 'show', 'named fw 1.0')).stdout).toContain(`id:`);

    const listed = json(await s.run('images', 'list', '--name', 'named fw 1.0', '--json'));
    expect(listed.map((i: { id: string }) => i.id)).toEqual([a.id]);
    expect((await s.run('images', 'list', '--name', 'named fw')).stdout).toBe(
      'The account holds no firmware image named "named fw".\n',
    );

    // Not an id's shape: asked as a name only (a query parameter), never put in a URL path.
    const dots = await s.run('images', 'show', '..');
    expect(dots.code).toBe(1);
    expect(dots.stderr).toContain('No firmware image is named ".."');

    const missing = await s.run('images', 'show', 'no such fw');
    expect(missing).toMatchObject({
      code: 1,
      stderr:
        'firmdrop: No firmware image is named "no such fw", and no firmware image id starts with it. "firmdrop images list" shows names and ids.\n',
    });
  });

  it('images list and jobs list --limit N say on stderr when more exist; --json stays the array', async () => {
    const s = session();
    for (const k of [1, 2, 3]) await image(`limit-img-${k}`);
    for (const k of [1, 2, 3]) await createJob(sandbox().url, KEY, { name: `limit-job-${k}` });

    const images = await s.run('images', 'list', '--limit', '2');
    expect(images.code).toBe(0);
    expect(images.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(images.stderr).toBe(
      'firmdrop: showing the newest 2 images; more exist: use --limit 100, or leave --limit out for all.\n',
    );
    const asJson = await s.run('images', 'list', '--limit', '2', '--json');
    expect(json(asJson)).toHaveLength(2);
    expect(asJson.stderr).toBe('');

    const jobs = await s.run('jobs', 'list', '--limit', '1');
    expect(jobs.stderr).toBe(
      'firmdrop: showing the newest upload job; more exist: use --limit 100, or leave --limit out for all.\n',
    );
    // Exactly as many as there are: no note.
    const all = json(await s.run('jobs', 'list', '--json')).length;
    const exact = await s.run('jobs', 'list', '--limit', String(all));
    expect(exact.stderr).toBe('');
  });

  it('uploads --limit N says when the journal holds more', async () => {
    const s = session();
    const files = [1, 2, 3].map((k) => scratch.file(`limit-up-${k}.bin`, 500).path);
    expect((await s.run('upload', ...files, '-q')).code).toBe(0);
    const cut = await s.run('uploads', '--limit', '2');
    expect(cut.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(cut.stderr).toBe(
      'firmdrop: showing the newest 2 uploads; more exist: use --limit 100.\n',
    );
    expect((await s.run('uploads', '--limit', '3')).stderr).toBe('');
    const asJson = await s.run('uploads', '--limit', '2', '--json');
    expect(json(asJson)).toHaveLength(2);
    expect(asJson.stderr).toBe('');
  });
});
