import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  api,
  createJob,
  http,
  md5b64,
  md5hex,
  MiB,
  postChunk,
  randomData,
} from '../../helpers/sandbox-client';
import { useSandbox } from '../../helpers/sandbox-fixture';

const sandbox = useSandbox({ accounts: [{ key: 'k', tier: '1' }] });
const jobPath = (id: string) => `/v3/firmware-images/upload-jobs/${id}`;

async function chunkIds(url: string, jobId: string): Promise<Array<[number, number]>> {
  const res = await api(url, 'k', 'GET', `${jobPath(jobId)}/chunks`);
  return res.json.data.map((c: { id: number; length: number }) => [c.id, c.length]);
}

describe('chunks', () => {
  it('appends chunks with ids from 1 and moves the job to in_progress', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'append' });
    const a = randomData(14);
    const res = await postChunk(sb.url, 'k', job.id, a);
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      object: 'upload-info',
      id: 1,
      upload_job_id: job.id,
      length: 14,
      hash: md5hex(a),
      created_at: expect.stringMatching(/\.\d{6}Z$/),
      updated_at: res.json.created_at,
      etag: res.json.created_at,
    });
    const location = `${sb.url}${jobPath(job.id)}/chunks/1`;
    expect(res.headers.location).toBe(location);
    expect(res.headers['content-location']).toBe(location);
    expect((await api(sb.url, 'k', 'GET', jobPath(job.id))).json).toMatchObject({
      status: 'in_progress',
      complete: false,
      completed: false,
    });
    const b = randomData(19);
    expect((await postChunk(sb.url, 'k', job.id, b)).json).toMatchObject({ id: 2, length: 19 });
    expect(await chunkIds(sb.url, job.id)).toEqual([
      [1, 14],
      [2, 19],
    ]);
    const one = await api(sb.url, 'k', 'GET', `${jobPath(job.id)}/chunks/2/`);
    expect(one.json).toMatchObject({ id: 2, length: 19, hash: md5hex(b) });
    expect((await api(sb.url, 'k', 'GET', `${jobPath(job.id)}/chunks/3`)).status).toBe(404);
    expect((await api(sb.url, 'k', 'GET', `${jobPath(job.id)}/chunks/x`)).status).toBe(404);
    const byHash = await api(
      sb.url,
      'k',
      'GET',
      `${jobPath(job.id)}/chunks?hash__eq=${encodeURIComponent(md5b64(b))}`,
    );
    expect(byHash.json.data.map((c: { id: number }) => c.id)).toEqual([2]);
  });

  it('refuses a wrong, missing or malformed Content-MD5 with 400 and appends nothing', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'md5' });
    const data = randomData(100_000);
    const wrong = await postChunk(sb.url, 'k', job.id, data, { md5: md5b64(Buffer.from('other')) });
    expect(wrong.status).toBe(400);
    expect(wrong.json).toMatchObject({
      code: 400,
      object: 'error',
      fields: [{ name: 'Content-MD5' }],
    });
    const missing = await postChunk(sb.url, 'k', job.id, data, { md5: null });
    expect(missing.status).toBe(400);
    expect(missing.json.fields[0].name).toBe('Content-MD5');
    const malformed = await postChunk(sb.url, 'k', job.id, data, { md5: md5hex(data) });
    expect(malformed.status).toBe(400);
    expect(await chunkIds(sb.url, job.id)).toEqual([]);
    expect((await api(sb.url, 'k', 'GET', jobPath(job.id))).json.status).toBe('not_started');
    // The connection stays usable and the next good chunk is id 1.
    expect((await postChunk(sb.url, 'k', job.id, data)).json).toMatchObject({
      id: 1,
      length: 100_000,
    });
  });

  it('refuses chunked transfer encoding (411) and a wrong Content-Type (400)', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'headers' });
    const data = randomData(1000);
    const chunked = await http(`${sb.url}${jobPath(job.id)}/chunks`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer k',
        'content-type': 'binary/octet-stream',
        'content-md5': md5b64(data),
        'transfer-encoding': 'chunked',
      },
      write: (req) => {
        req.write(data.subarray(0, 500));
        req.end(data.subarray(500));
      },
    });
    expect(chunked.status).toBe(411);
    expect(chunked.json).toMatchObject({ code: 411, object: 'error' });
    const wrongType = await postChunk(sb.url, 'k', job.id, data, {
      contentType: 'application/json',
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.fields[0].name).toBe('Content-Type');
    expect(await chunkIds(sb.url, job.id)).toEqual([]);
  });

  it('refuses a chunk over 100 MiB with 413 from its Content-Length, before reading it', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'too-big' });
    const started = Date.now();
    const res = await http(`${sb.url}${jobPath(job.id)}/chunks`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer k',
        'content-type': 'binary/octet-stream',
        'content-md5': md5b64(Buffer.alloc(0)),
        'content-length': 100 * MiB + 1,
      },
      write: (req) => req.flushHeaders(),
    });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await chunkIds(sb.url, job.id)).toEqual([]);
  });

  it('appends nothing when the client goes away mid-body', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'cut-off' });
    const first = randomData(5 * MiB);
    await postChunk(sb.url, 'k', job.id, first);
    const data = randomData(2 * MiB);
    const attempt = postChunk(sb.url, 'k', job.id, data, {
      write: (req) => {
        req.write(data.subarray(0, MiB), () => setTimeout(() => req.destroy(), 50));
      },
    });
    await expect(attempt).rejects.toThrow();
    await sleep(100);
    expect(await chunkIds(sb.url, job.id)).toEqual([[1, 5 * MiB]]);
    // The next chunk lands right after the first: nothing of the cut-off body remains.
    const second = randomData(3000);
    await postChunk(sb.url, 'k', job.id, second);
    expect(await chunkIds(sb.url, job.id)).toEqual([
      [1, 5 * MiB],
      [2, 3000],
    ]);
    expect((await postChunk(sb.url, 'k', job.id, Buffer.alloc(0))).status).toBe(201);
    const done = (await api(sb.url, 'k', 'GET', jobPath(job.id))).json;
    const image = (await api(sb.url, 'k', 'GET', `/v3/firmware-images/${done.firmware_image_id}`))
      .json;
    expect((await http(image.datafile)).body.equals(Buffer.concat([first, second]))).toBe(true);
  });

  it('appends chunks posted at once to one job one after the other, never interleaved', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'parallel' });
    const parts = [randomData(5 * MiB), randomData(5 * MiB), randomData(5 * MiB)];
    const results = await Promise.all(parts.map((p) => postChunk(sb.url, 'k', job.id, p)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(results.map((r) => r.json.id).sort()).toEqual([1, 2, 3]);
    const inOrder = results
      .sort((a, b) => a.json.id - b.json.id)
      .map((r) => parts.find((p) => md5hex(p) === r.json.hash) ?? Buffer.alloc(0));
    expect((await postChunk(sb.url, 'k', job.id, Buffer.alloc(0))).status).toBe(201);
    const done = (await api(sb.url, 'k', 'GET', jobPath(job.id))).json;
    const image = (await api(sb.url, 'k', 'GET', `/v3/firmware-images/${done.firmware_image_id}`))
      .json;
    expect((await http(image.datafile)).body.equals(Buffer.concat(inOrder))).toBe(true);
  });
});
