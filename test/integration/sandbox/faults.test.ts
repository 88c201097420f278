import { connect } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { api, createJob, http, md5b64, postChunk, randomData } from '../../helpers/sandbox-client';
import { useSandbox } from '../../helpers/sandbox-fixture';

const sandbox = useSandbox({ accounts: [{ key: 'k', tier: '1' }] });
const ME = '/v3/accounts/me';
const chunksOf = (id: string) => `/v3/firmware-images/upload-jobs/${id}/chunks`;

async function chunkCount(url: string, jobId: string): Promise<number> {
  return (await api(url, 'k', 'GET', chunksOf(jobId))).json.data.length;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

describe('fault injection', () => {
  it('status: answers the next N matching requests with the status and an ErrorResponse', async () => {
    const sb = sandbox();
    sb.faults.inject({ kind: 'status', status: 503, path: '^/v3/accounts/me', times: 2 });
    expect(sb.faults.pending()).toBe(2);
    const unmatched = await api(sb.url, 'k', 'GET', '/v3/firmware-images/');
    expect(unmatched.status).toBe(200);
    const first = await api(sb.url, 'k', 'GET', ME);
    expect(first.status).toBe(503);
    expect(first.json).toMatchObject({ code: 503, object: 'error', type: 'service_unavailable' });
    expect(first.headers['retry-after']).toBeUndefined();
    expect((await api(sb.url, 'k', 'GET', ME)).status).toBe(503);
    expect((await api(sb.url, 'k', 'GET', ME)).status).toBe(200);
    expect(sb.faults.pending()).toBe(0);
    expect(sb.stats().faultsFired.status).toBe(2);
  });

  it('status 429 carries Retry-After (1 s unless configured); method and RegExp paths match', async () => {
    const sb = sandbox();
    sb.faults.inject({ kind: 'status', status: 429 });
    const limited = await api(sb.url, 'k', 'GET', ME);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    sb.faults.inject({
      kind: 'status',
      status: 429,
      retryAfterSeconds: 7,
      method: 'post',
      path: /upload-jobs$/,
    });
    expect((await api(sb.url, 'k', 'GET', '/v3/firmware-images/upload-jobs')).status).toBe(200);
    const post = await api(sb.url, 'k', 'POST', '/v3/firmware-images/upload-jobs', {
      name: 'limited',
    });
    expect(post.status).toBe(429);
    expect(post.headers['retry-after']).toBe('7');
    // The refused request did nothing.
    expect(
      (await api(sb.url, 'k', 'GET', '/v3/firmware-images/upload-jobs?name__eq=limited')).json.data,
    ).toEqual([]);
  });

  it('status on a chunk POST discards the body and appends nothing', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'status-chunk' });
    sb.faults.inject({ kind: 'status', status: 500, method: 'POST', path: '/chunks$' });
    const data = randomData(300_000);
    const res = await postChunk(sb.url, 'k', job.id, data);
    expect(res.status).toBe(500);
    expect(await chunkCount(sb.url, job.id)).toBe(0);
    expect((await postChunk(sb.url, 'k', job.id, data)).json.id).toBe(1);
  });

  it('reset: cuts the connection after K body bytes and appends nothing', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'reset-chunk' });
    sb.faults.inject({ kind: 'reset', afterBytes: 64 * 1024, method: 'POST', path: '/chunks$' });
    const data = randomData(1024 * 1024);
    const err = await postChunk(sb.url, 'k', job.id, data).then(
      () => null,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(err?.code).toMatch(/ECONNRESET|EPIPE/);
    expect(await chunkCount(sb.url, job.id)).toBe(0);
    expect(sb.stats().faultsFired.reset).toBe(1);
    // A GET reset needs no body: it is cut at once.
    sb.faults.inject({ kind: 'reset', afterBytes: 0, path: 'accounts' });
    await expect(api(sb.url, 'k', 'GET', ME)).rejects.toThrow();
    expect((await postChunk(sb.url, 'k', job.id, data)).json).toMatchObject({
      id: 1,
      length: data.length,
    });
  });

  it('append-then-drop: appends the chunk exactly once and drops the connection unanswered', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'drop-chunk' });
    sb.faults.inject({ kind: 'append-then-drop', path: '/chunks$', method: 'POST' });
    const data = randomData(200_000);
    const before = sb.stats();
    await expect(postChunk(sb.url, 'k', job.id, data)).rejects.toThrow(/socket hang up|ECONNRESET/);
    const after = sb.stats();
    expect(after.chunksAppended - before.chunksAppended).toBe(1);
    const chunks = (await api(sb.url, 'k', 'GET', chunksOf(job.id))).json.data;
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({
      id: 1,
      length: data.length,
      hash: Buffer.from(md5b64(data), 'base64').toString('hex'),
    });
    expect(
      (await api(sb.url, 'k', 'GET', `/v3/firmware-images/upload-jobs/${job.id}`)).json.status,
    ).toBe('in_progress');
  });

  it('append-then-drop on a create leaves the created job behind', async () => {
    const sb = sandbox();
    sb.faults.inject({ kind: 'append-then-drop', method: 'POST', path: 'upload-jobs/?$' });
    await expect(
      api(sb.url, 'k', 'POST', '/v3/firmware-images/upload-jobs', { name: 'ghost' }),
    ).rejects.toThrow();
    const list = await api(sb.url, 'k', 'GET', '/v3/firmware-images/upload-jobs?name__eq=ghost');
    expect(list.json.data).toHaveLength(1);
  });

  it('delay: holds the answer, after the request was processed', async () => {
    const sb = sandbox();
    sb.faults.inject({ kind: 'delay', ms: 300, path: 'accounts/me' });
    const [res, ms] = await timed(() => api(sb.url, 'k', 'GET', ME));
    expect(res.status).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(280);
    const [, quick] = await timed(() => api(sb.url, 'k', 'GET', ME));
    expect(quick).toBeLessThan(200);

    // A client that gives up first leaves an appended chunk it never heard about.
    const job = await createJob(sb.url, 'k', { name: 'delayed-chunk' });
    sb.faults.inject({ kind: 'delay', ms: 400, path: '/chunks$', method: 'POST' });
    const data = randomData(1000);
    // Gives up once the sandbox appended the chunk and holds its answer (a position, not a guess
    // at timing).
    const giveUp = new AbortController();
    void sb.when('chunksAppended', sb.stats().chunksAppended + 1).then(() => giveUp.abort());
    await expect(
      fetch(`${sb.url}${chunksOf(job.id)}`, {
        method: 'POST',
        body: new Uint8Array(data),
        signal: giveUp.signal,
        headers: {
          authorization: 'Bearer k',
          'content-type': 'binary/octet-stream',
          'content-md5': md5b64(data),
        },
      }),
    ).rejects.toThrow();
    // The sandbox finishes the request it was holding (append, then the delayed answer).
    await sb.settled();
    expect(await chunkCount(sb.url, job.id)).toBe(1);
  });

  it('job-lag: the next reads of a completed job show it unsettled, then as it is', async () => {
    const sb = sandbox();
    const data = randomData(1000);
    const job = await createJob(sb.url, 'k', { name: 'lagging' });
    expect((await postChunk(sb.url, 'k', job.id, data)).status).toBe(201);
    const read = async () =>
      (await api(sb.url, 'k', 'GET', `/v3/firmware-images/upload-jobs/${job.id}`)).json;
    sb.faults.inject({ kind: 'job-lag', lag: 'completion' });
    // A job that is not completed reads as it is (and uses the fault up).
    expect(await read()).toMatchObject({ status: 'in_progress', firmware_image_id: '' });
    expect(sb.faults.pending()).toBe(0);
    expect((await postChunk(sb.url, 'k', job.id, Buffer.alloc(0))).status).toBe(201);
    sb.faults.inject({ kind: 'job-lag', lag: 'completion' });
    sb.faults.inject({ kind: 'job-lag', lag: 'image' });
    expect(await read()).toMatchObject({
      status: 'in_progress',
      completed: false,
      complete: false,
    });
    expect(await read()).toMatchObject({
      status: 'completed',
      completed: true,
      firmware_image_id: '',
    });
    const settled = await read();
    expect(settled).toMatchObject({ status: 'completed', completed: true });
    expect(settled.firmware_image_id).toMatch(/^[0-9a-f]{32}$/);
    // The job list is not affected.
    sb.faults.inject({ kind: 'job-lag', lag: 'image' });
    const list = await api(sb.url, 'k', 'GET', '/v3/firmware-images/upload-jobs?name__eq=lagging');
    expect(list.json.data[0].firmware_image_id).toBe(settled.firmware_image_id);
    expect(sb.faults.pending()).toBe(1);
    expect(sb.stats().faultsFired['job-lag']).toBe(3);
  });

  it('a delay combines with a status fault on the same request', async () => {
    const sb = sandbox();
    sb.faults.inject({ kind: 'delay', ms: 200, path: 'me$' });
    sb.faults.inject({ kind: 'status', status: 502, path: 'me$' });
    const [res, ms] = await timed(() => api(sb.url, 'k', 'GET', ME));
    expect(res.status).toBe(502);
    expect(ms).toBeGreaterThanOrEqual(180);
    expect(sb.faults.pending()).toBe(0);
  });

  it('latency is added to every API request until cleared', async () => {
    const sb = sandbox();
    sb.faults.setLatency(150);
    const [, slow] = await timed(() => api(sb.url, 'k', 'GET', ME));
    expect(slow).toBeGreaterThanOrEqual(140);
    sb.faults.clear();
    const [, fast] = await timed(() => api(sb.url, 'k', 'GET', ME));
    expect(fast).toBeLessThan(slow - 100);
  });

  it('bandwidth throttles request bodies measurably', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'throttled' });
    const data = randomData(120_000);
    const [, free] = await timed(() => postChunk(sb.url, 'k', job.id, data));
    sb.faults.setBandwidth(200_000);
    const [res, slow] = await timed(() => postChunk(sb.url, 'k', job.id, data));
    expect(res.status).toBe(201);
    // 120 kB at 200 kB/s, less a 10 kB burst: about 0.55 s.
    expect(slow).toBeGreaterThanOrEqual(450);
    expect(slow).toBeGreaterThan(free * 3);
    sb.faults.setBandwidth(null);
    const [, again] = await timed(() => postChunk(sb.url, 'k', job.id, data));
    expect(again).toBeLessThan(slow / 2);
  });

  it('settled() waits for a request whose client went away while its body was still arriving', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'late-body' });
    const data = randomData(600_000);
    sb.faults.setBandwidth(1_000_000);
    // Like a killed client: the request is handed to the kernel whole, then the socket closed;
    // the kernel still delivers what it buffered to a server that reads it at 1 MB/s.
    const { port, host } = new URL(sb.url);
    const posts = sb.stats().chunkPosts;
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    const head =
      `POST ${chunksOf(job.id)} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer k\r\n` +
      `Content-Type: binary/octet-stream\r\nContent-MD5: ${md5b64(data)}\r\n` +
      `Content-Length: ${data.length}\r\n\r\n`;
    await new Promise<void>((done) =>
      socket.write(Buffer.concat([Buffer.from(head), data]), () => done()),
    );
    while (sb.stats().chunkPosts === posts) await tick(); // the server has begun reading it
    socket.destroy();
    const [, waited] = await timed(() => sb.settled());
    expect(waited).toBeGreaterThan(250);
    const [, idle] = await timed(() => sb.settled());
    expect(idle).toBeLessThan(50);
  });

  it('rejects invalid faults and settings', () => {
    const sb = sandbox();
    expect(() => sb.faults.inject({ kind: 'status', status: 200 })).toThrow(/status/);
    expect(() => sb.faults.inject({ kind: 'reset', afterBytes: -1 })).toThrow(/afterBytes/);
    expect(() => sb.faults.inject({ kind: 'delay', ms: 10, times: 0 })).toThrow(/times/);
    expect(() => sb.faults.inject({ kind: 'delay', ms: 10, path: '(' })).toThrow(
      /regular expression/,
    );
    expect(() => sb.faults.inject({ kind: 'nope' } as never)).toThrow(/kind/);
    expect(() => sb.faults.setLatency(-5)).toThrow();
    expect(() => sb.faults.setBandwidth(0)).toThrow();
    expect(sb.faults.pending()).toBe(0);
  });

  it('counts requests and chunk posts', async () => {
    const sb = sandbox();
    const job = await createJob(sb.url, 'k', { name: 'counted' });
    const before = sb.stats();
    await postChunk(sb.url, 'k', job.id, randomData(10));
    await postChunk(sb.url, 'k', job.id, randomData(10), { md5: null });
    await http(`${sb.url}/v3/accounts/me`);
    const after = sb.stats();
    expect(after.requests - before.requests).toBe(3);
    expect(after.chunkPosts - before.chunkPosts).toBe(2);
    expect(after.chunksAppended - before.chunksAppended).toBe(1);
    expect(after.bytesAppended - before.bytesAppended).toBe(10);
    expect((after.responses['401'] ?? 0) - (before.responses['401'] ?? 0)).toBe(1);
  });
});
