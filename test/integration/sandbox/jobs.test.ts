import { describe, expect, it } from 'vitest';
import { api, createJob, http, postChunk, postImage } from '../../helpers/sandbox-client';
import { useSandbox } from '../../helpers/sandbox-fixture';

const sandbox = useSandbox({ accounts: [{ key: 'k', tier: '1' }] });
const JOBS = '/v3/firmware-images/upload-jobs';

describe('upload jobs', () => {
  it('creates a job: 201, Location, not_started, both completion flags false', async () => {
    const sb = sandbox();
    const res = await api(sb.url, 'k', 'POST', JOBS, {
      name: 'big-image',
      description: 'a large one',
      datafile_encryption: false,
    });
    expect(res.status).toBe(201);
    const job = res.json;
    expect(job).toEqual({
      object: 'upload-job',
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'big-image',
      description: 'a large one',
      status: 'not_started',
      complete: false,
      completed: false,
      firmware_image_id: '',
      datafile_encryption: false,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      updated_at: job.created_at,
      etag: job.created_at,
    });
    const location = `${sb.url}${JOBS}/${job.id}`;
    expect(res.headers.location).toBe(location);
    expect(res.headers['content-location']).toBe(location);
    for (const path of [`${JOBS}/${job.id}`, `${JOBS}/${job.id}/`]) {
      expect((await api(sb.url, 'k', 'GET', path)).json).toEqual(job);
    }
  });

  it('defaults name and description to ""', async () => {
    const sb = sandbox();
    const res = await http(`${sb.url}${JOBS}`, {
      method: 'POST',
      headers: { authorization: 'Bearer k' },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ name: '', description: '', datafile_encryption: false });
    await api(sb.url, 'k', 'DELETE', `${JOBS}/${res.json.id}`);
  });

  it('refuses a name held by an image or another job with 409', async () => {
    const sb = sandbox();
    await createJob(sb.url, 'k', { name: 'dup-job' });
    const again = await api(sb.url, 'k', 'POST', `${JOBS}/`, { name: 'dup-job' });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ code: 409, object: 'error', type: 'conflict' });
    await postImage(sb.url, 'k', { data: Buffer.from('x'), name: 'dup-image' });
    const clash = await api(sb.url, 'k', 'POST', JOBS, { name: 'dup-image' });
    expect(clash.status).toBe(409);
    expect(clash.json.message).toMatch(/firmware image/i);
  });

  it('refuses invalid bodies with 400 and the fields at fault', async () => {
    const sb = sandbox();
    const bad = await api(sb.url, 'k', 'POST', JOBS, {
      name: 'n'.repeat(129),
      description: 'd'.repeat(2001),
      datafile_encryption: 'yes',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.fields.map((f: { name: string }) => f.name).sort()).toEqual([
      'datafile_encryption',
      'description',
      'name',
    ]);
    const notJson = await http(`${sb.url}${JOBS}`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
    expect((await api(sb.url, 'k', 'POST', JOBS, ['x'])).status).toBe(400);
  });

  it('updates name and description with PUT, keeping names unique', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'before', description: 'old' });
    await createJob(sb.url, 'k', { name: 'other-job' });
    const res = await api(sb.url, 'k', 'PUT', `${JOBS}/${job.id}`, { name: 'after' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: job.id, name: 'after', description: 'old' });
    expect(res.json.etag).not.toBe(job.etag);
    expect(res.json.updated_at > job.updated_at).toBe(true);
    const desc = await api(sb.url, 'k', 'PUT', `${JOBS}/${job.id}/`, { description: 'new' });
    expect(desc.json).toMatchObject({ name: 'after', description: 'new' });
    // Its own name is not a clash; another job's is.
    expect((await api(sb.url, 'k', 'PUT', `${JOBS}/${job.id}`, { name: 'after' })).status).toBe(
      200,
    );
    expect((await api(sb.url, 'k', 'PUT', `${JOBS}/${job.id}`, { name: 'other-job' })).status).toBe(
      409,
    );
    expect(
      (await api(sb.url, 'k', 'PUT', `${JOBS}/${job.id}`, { name: 'x'.repeat(200) })).status,
    ).toBe(400);
    expect((await api(sb.url, 'k', 'PUT', `${JOBS}/${'0'.repeat(32)}`, { name: 'y' })).status).toBe(
      404,
    );
    // The old name is free again.
    expect((await api(sb.url, 'k', 'POST', JOBS, { name: 'before' })).status).toBe(201);
  });

  it('deletes a job with 204; its data and name go with it', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'to-delete' });
    expect((await postChunk(sb.url, 'k', job.id, Buffer.alloc(1000, 1))).status).toBe(201);
    const del = await api(sb.url, 'k', 'DELETE', `${JOBS}/${job.id}`);
    expect(del.status).toBe(204);
    expect(del.body.length).toBe(0);
    expect((await api(sb.url, 'k', 'GET', `${JOBS}/${job.id}`)).status).toBe(404);
    expect((await api(sb.url, 'k', 'DELETE', `${JOBS}/${job.id}`)).status).toBe(404);
    expect((await postChunk(sb.url, 'k', job.id, Buffer.alloc(10))).status).toBe(404);
    expect((await api(sb.url, 'k', 'POST', JOBS, { name: 'to-delete' })).status).toBe(201);
  });

  it('lists jobs as a page', async () => {
    const sb = sandbox();
    const res = await api(sb.url, 'k', 'GET', `${JOBS}?include=total_count`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      object: 'list',
      order: 'ASC',
      limit: 50,
      has_more: false,
      after: null,
    });
    expect(res.json.total_count).toBe(res.json.data.length);
    expect(res.json.data.every((j: { object: string }) => j.object === 'upload-job')).toBe(true);
  });
});
