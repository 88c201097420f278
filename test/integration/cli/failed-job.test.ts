import { describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { api } from '../../helpers/sandbox-client';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { envSessions, json, useBuiltCli, useScratch } from './cli-fixture';

const KEY = 'ak_cli_failed_job_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });
const scratch = useScratch();
const session = envSessions(cli, scratch, () => sandbox().url, KEY);

describe('the upload job of an upload that failed for good', () => {
  it('is kept for resume and shown as that upload’s; cancel deletes it', async () => {
    const { run } = session();
    // A job someone else made: no upload of ours.
    const foreign = await api(sandbox().url, KEY, 'POST', '/v3/firmware-images/upload-jobs', {
      name: 'made-elsewhere',
    });
    sandbox().faults.inject({
      kind: 'status',
      status: 400,
      method: 'POST',
      path: /chunks$/,
      times: 1,
    });
    const f = scratch.file('doomed.bin', 9 * MiB);
    const failed = await run('upload', f.path, '--chunk-size', '5');
    expect(failed.code).toBe(1);
    const [row] = json(await run('uploads', '--json'));
    expect(row).toMatchObject({ state: 'failed', upload_job_id: expect.stringMatching(/^\w+$/) });
    const job = row.upload_job_id as string;
    expect(failed.stderr).toContain(
      `Its upload job ${job} stays on the server until then; "firmdrop uploads cancel ${row.id}" deletes it.`,
    );

    const jobs = json(await run('jobs', 'list', '--json'));
    expect(jobs.map((j: { id: string; local_upload: unknown }) => [j.id, j.local_upload])).toEqual(
      expect.arrayContaining([
        [job, { id: row.id, name: 'doomed.bin', state: 'failed' }],
        [foreign.json.id, null],
      ]),
    );
    // The table says it too: the job's row names its upload, a foreign job's row does not.
    const table = (await run('jobs', 'list')).stdout.split('\n');
    expect(table[0]).toContain('LOCAL UPLOAD');
    expect(table.find((l) => l.startsWith(job))).toContain(`${row.id} (failed)`);
    expect(table.find((l) => l.startsWith(foreign.json.id))).not.toContain(row.id);
    expect(json(await run('jobs', 'show', job, '--json')).local_upload).toMatchObject({
      id: row.id,
    });
    const listed = await run('uploads');
    expect(listed.stderr).toBe(
      `firmdrop: a failed upload keeps its upload job on the server for "firmdrop resume": ${job} (upload ${row.id}). "firmdrop uploads cancel UPLOAD_ID" deletes it with the upload.\n`,
    );

    expect((await run('uploads', 'cancel', row.id)).code).toBe(0);
    const left = json(await run('jobs', 'list', '--json')).map((j: { id: string }) => j.id);
    expect(left).toEqual([foreign.json.id]);
    expect((await run('uploads')).stderr).toBe('');
  });
});
