import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  api,
  createJob,
  http,
  MiB,
  postChunk,
  postImage,
  randomData,
  sha256hex,
  uploadViaJob,
} from '../../helpers/sandbox-client';
import { useSandbox } from '../../helpers/sandbox-fixture';

const sandbox = useSandbox({
  accounts: [
    { key: 'k', tier: '1' },
    { key: 'free', tier: '0' },
  ],
});
const jobPath = (id: string) => `/v3/firmware-images/upload-jobs/${id}`;
const EMPTY = Buffer.alloc(0);

describe('completing an upload job', () => {
  it('round-trips 5 MiB + 5 MiB + 1.5 MiB byte for byte through the datafile URL', async () => {
    const sb = sandbox();
    const data = randomData(11.5 * MiB);
    const job = await createJob(sb.url, 'k', { name: 'round-trip', description: 'three chunks' });
    const sizes = [5 * MiB, 5 * MiB, 1.5 * MiB];
    let at = 0;
    for (const [i, size] of sizes.entries()) {
      const res = await postChunk(sb.url, 'k', job.id, data.subarray(at, at + size));
      expect(res.json).toMatchObject({ id: i + 1, length: size });
      at += size;
    }
    const done = await postChunk(sb.url, 'k', job.id, EMPTY);
    expect(done.status).toBe(201);
    expect(done.json).toMatchObject({ id: 4, length: 0, hash: 'd41d8cd98f00b204e9800998ecf8427e' });
    expect(done.headers.location).toBe(`${sb.url}${jobPath(job.id)}/chunks/4`);

    const finished = (await api(sb.url, 'k', 'GET', jobPath(job.id))).json;
    expect(finished).toMatchObject({
      status: 'completed',
      complete: true,
      completed: true,
      firmware_image_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(finished.etag).not.toBe(job.etag);
    const image = (
      await api(sb.url, 'k', 'GET', `/v3/firmware-images/${finished.firmware_image_id}/`)
    ).json;
    expect(image).toMatchObject({
      object: 'firmware-image',
      name: 'round-trip',
      description: 'three chunks',
      datafile_size: data.length,
      datafile_checksum: sha256hex(data),
    });
    const got = await http(image.datafile);
    expect(got.body.length).toBe(data.length);
    expect(sha256hex(got.body)).toBe(image.datafile_checksum);
    expect(got.body.equals(data)).toBe(true);

    // The seed: a completed job lists no chunks.
    const chunks = await api(sb.url, 'k', 'GET', `${jobPath(job.id)}/chunks`);
    expect(chunks.json).toMatchObject({ object: 'list', data: [], has_more: false });
    expect((await api(sb.url, 'k', 'GET', `${jobPath(job.id)}/chunks/1`)).status).toBe(404);
  });

  it('refuses any POST to a completed job with 400', async () => {
    const sb = sandbox();
    const { job } = await uploadViaJob(sb.url, 'k', randomData(1000), { name: 'finished' });
    for (const body of [randomData(10), EMPTY]) {
      const res = await postChunk(sb.url, 'k', job.id, body);
      expect(res.status).toBe(400);
      expect(res.json.message).toMatch(/already complete/);
    }
  });

  it('refuses a zero-length first chunk with 400', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'empty-first' });
    const res = await postChunk(sb.url, 'k', job.id, EMPTY);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 400, object: 'error' });
    expect((await api(sb.url, 'k', 'GET', jobPath(job.id))).json.status).toBe('not_started');
  });

  it('accepts chunks under 5 MiB but refuses to complete unless only the last one is', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'small-chunks' });
    for (let i = 0; i < 3; i++) {
      expect((await postChunk(sb.url, 'k', job.id, randomData(MiB))).status).toBe(201);
    }
    const res = await postChunk(sb.url, 'k', job.id, EMPTY);
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/5 MiB/);
    expect(res.json.message).toMatch(/chunk 1/);
    // The job is left as it was: still in progress, its chunks listed, no image.
    const after = (await api(sb.url, 'k', 'GET', jobPath(job.id))).json;
    expect(after).toMatchObject({ status: 'in_progress', completed: false, firmware_image_id: '' });
    expect((await api(sb.url, 'k', 'GET', `${jobPath(job.id)}/chunks`)).json.data).toHaveLength(3);
  });

  it('lets the last data chunk be small and a single chunk be any size', async () => {
    const sb = sandbox();
    const one = await uploadViaJob(sb.url, 'k', randomData(10), { name: 'tiny' });
    expect(one.image.datafile_size).toBe(10);
    const data = randomData(5 * MiB + 1);
    const two = await uploadViaJob(sb.url, 'k', data, { name: 'just-over', chunkSize: 5 * MiB });
    expect(two.image).toMatchObject({
      datafile_size: data.length,
      datafile_checksum: sha256hex(data),
    });
  });

  it('refuses a completing chunk whose Content-MD5 is not the empty MD5', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'bad-final-md5' });
    await postChunk(sb.url, 'k', job.id, randomData(100));
    const md5 = createHash('md5').update('x').digest('base64');
    expect((await postChunk(sb.url, 'k', job.id, EMPTY, { md5 })).status).toBe(400);
    expect((await postChunk(sb.url, 'k', job.id, EMPTY, { contentType: null })).status).toBe(201);
  });

  it('checks the image quota again at completion (403) and completes once a slot is free', async () => {
    const sb = sandbox();
    for (let i = 0; i < 9; i++)
      await postImage(sb.url, 'free', { data: Buffer.from(`${i}`), name: `f${i}` });
    const job = await createJob(sb.url, 'free', { name: 'racing' });
    await postChunk(sb.url, 'free', job.id, randomData(500));
    // Meanwhile the tenth image arrives by the one-request route.
    const tenth = (await postImage(sb.url, 'free', { data: Buffer.from('10'), name: 'f9' })).json;
    const refused = await postChunk(sb.url, 'free', job.id, EMPTY);
    expect(refused.status).toBe(403);
    expect((await api(sb.url, 'free', 'GET', jobPath(job.id))).json.status).toBe('in_progress');
    await api(sb.url, 'free', 'DELETE', `/v3/firmware-images/${tenth.id}/`);
    expect((await postChunk(sb.url, 'free', job.id, EMPTY)).status).toBe(201);
  });

  it('makes an encrypted image from a job created with datafile_encryption', async () => {
    const sb = sandbox();
    const data = randomData(4000);
    const { job, image } = await uploadViaJob(sb.url, 'k', data, {
      name: 'enc-job',
      datafile_encryption: true,
    });
    expect(job.datafile_encryption).toBe(true);
    expect(image).toMatchObject({
      datafile_encryption: true,
      datafile_size: 4000,
      datafile_checksum: sha256hex(data),
      encrypted_datafile_size: 4016,
    });
    expect(sha256hex((await http(image.datafile)).body)).toBe(image.encrypted_datafile_checksum);
  });

  it('keeps the image when its job is deleted, and the job name while the job exists', async () => {
    const sb = sandbox();
    const { job, image } = await uploadViaJob(sb.url, 'k', randomData(50), { name: 'keep-me' });
    const clash = await api(sb.url, 'k', 'POST', '/v3/firmware-images/upload-jobs', {
      name: 'keep-me',
    });
    expect(clash.status).toBe(409);
    expect((await api(sb.url, 'k', 'DELETE', jobPath(job.id))).status).toBe(204);
    expect((await api(sb.url, 'k', 'GET', `/v3/firmware-images/${image.id}/`)).status).toBe(200);
  });
});
