import { describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { api, createJob, postChunk } from '../../helpers/sandbox-client';
import { envCredentials, envSessions, json, runCli, useBuiltCli, useScratch } from './cli-fixture';

const KEY = 'ak_cli_listing_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });
const scratch = useScratch();
const session = envSessions(cli, scratch, () => sandbox().url, KEY);

describe('firmdrop uploads, images, jobs', () => {
  it('lists the journal as a table and as JSON', async () => {
    const s = session();
    const a = scratch.file('list-a.bin', 1000);
    const b = scratch.file('list-b.bin', 2000);
    expect((await s.run('upload', a.path, b.path, '-q')).code).toBe(0);
    const table = await s.run('uploads');
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+STATE\s+NAME\s+SIZE\s+ACCOUNT\s+VERIFIED\s+CREATED\s+ERROR$/);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(
      /^[0-9a-f-]{36}\s+done\s+list-b\.bin\s+2\.0 KiB\s+env \(127\.0\.0\.1:\d+\)\s+yes\s+\d{4}-\d\d-\d\d \d\d:\d\d$/,
    );
    const list = json(await s.run('uploads', '--json'));
    expect(list.map((u: { name: string }) => u.name)).toEqual(['list-b.bin', 'list-a.bin']);
    expect(list[1]).toMatchObject({
      state: 'done',
      verified: true,
      size: 1000,
      sha256: a.sha256,
      file: a.path,
    });
    expect(json(await s.run('uploads', '--json', '--limit', '1'))).toHaveLength(1);
    const viaEnv = await runCli(cli(), ['uploads', '--json'], {
      env: { ...envCredentials(sandbox().url, KEY), FIRMDROP_DATA_DIR: s.dataDir },
    });
    expect(json(viaEnv)).toHaveLength(2);
    expect(json(await s.run('uploads', '--json', '--state', 'failed'))).toEqual([]);
    // The environment's key, tested like a stored account's.
    expect(json(await s.run('accounts', 'test', '--json'))).toMatchObject({
      tier: '1',
      key: 'FIRMDROP_API_KEY',
      images_limit: 1000,
    });
    const empty = session();
    expect((await empty.run('uploads')).stdout).toBe('No uploads in the journal yet.\n');
  });

  it('lists, shows and deletes images', async () => {
    const s = session();
    const f = scratch.file('img.bin', 4096);
    const [up] = json(await s.run('upload', f.path, '--name', 'img-cli', '--json'));
    const list = json(await s.run('images', 'list', '--json'));
    expect(list.find((i: { id: string }) => i.id === up.firmware_image_id)).toMatchObject({
      name: 'img-cli',
      datafile_checksum: f.sha256,
    });
    const table = await s.run('images', 'list');
    expect(table.stdout).toMatch(
      new RegExp(`${up.firmware_image_id}\\s+img-cli\\s+4\\.0 KiB\\s+no`),
    );
    const show = await s.run('images', 'show', up.firmware_image_id);
    expect(show.stdout).toContain(`datafile_checksum: ${f.sha256}`);
    expect(json(await s.run('images', 'show', up.firmware_image_id, '--json'))).toMatchObject({
      id: up.firmware_image_id,
      datafile_size: 4096,
    });
    const del = await s.run('images', 'delete', up.firmware_image_id, '--yes');
    expect(del).toMatchObject({
      code: 0,
      stdout: `Deleted firmware image ${up.firmware_image_id} (img-cli).\n`,
    });
    const gone = await s.run('images', 'show', up.firmware_image_id);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(
      /^firmdrop: Firmware image [0-9a-f]{32} was not found on 127\.0\.0\.1:\d+/,
    );
  });

  it('lists, shows, lists chunks of and deletes upload jobs', async () => {
    const s = session();
    const url = sandbox().url;
    const job = await createJob(url, KEY, { name: 'cli-open-job' });
    const chunk = Buffer.alloc(5 * MiB, 7);
    expect((await postChunk(url, KEY, job.id, chunk)).status).toBe(201);
    expect((await postChunk(url, KEY, job.id, Buffer.from('tail'))).status).toBe(201);
    const jobs = json(await s.run('jobs', 'list', '--json'));
    expect(jobs.find((j: { id: string }) => j.id === job.id)).toMatchObject({
      name: 'cli-open-job',
      completed: false,
    });
    expect((await s.run('jobs', 'list')).stdout).toMatch(
      new RegExp(`${job.id}\\s+cli-open-job\\s+in_progress`),
    );
    expect(json(await s.run('jobs', 'show', job.id, '--json'))).toMatchObject({
      id: job.id,
      name: 'cli-open-job',
    });
    const chunks = json(await s.run('jobs', 'chunks', job.id, '--json'));
    expect(chunks.map((c: { id: number; length: number }) => [c.id, c.length])).toEqual([
      [1, 5 * MiB],
      [2, 4],
    ]);
    const table = await s.run('jobs', 'chunks', job.id);
    expect(table.stdout).toMatch(
      /^\s*ID\s+LENGTH\s+SIZE\s+MD5\s+CREATED\n\s*1\s+5242880\s+5\.0 MiB\s+[0-9a-f]{32}/,
    );
    expect((await s.run('jobs', 'delete', job.id, '--yes')).stdout).toBe(
      `Deleted upload job ${job.id} (cli-open-job).\n`,
    );
    const after = await api(url, KEY, 'GET', `/v3/firmware-images/upload-jobs/${job.id}`);
    expect(after.status).toBe(404);
  });

  it('resume with nothing to do exits 0; unknown upload ids are named', async () => {
    const s = session();
    const none = await s.run('resume');
    expect(none).toMatchObject({ code: 0, stdout: '' });
    expect(none.stderr).toBe('firmdrop: nothing to resume.\n');
    expect(json(await s.run('resume', '--json'))).toEqual([]);
    expect((await s.run('resume', 'no-such-upload')).stderr).toContain(
      'No upload id starts with "no-such-upload"',
    );
    const missing = await s.run('uploads', 'cancel', 'no-such-upload');
    expect(missing.code).toBe(1);
  });
});
