import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DmApiError, DmNetworkError } from '../../../src-main/dm/errors';
import type { RetryEvent } from '../../../src-main/dm/retry';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import { closeClients, dmFor, md5Base64, sandbox } from './sandbox-fixture';

const MiB = 1024 * 1024;
let sb: Sandbox;

beforeAll(async () => {
  sb = await sandbox();
});
afterEach(async () => {
  sb.faults.clear();
  await closeClients();
});
afterAll(async () => {
  await sb.close();
});

async function failure(p: Promise<unknown>): Promise<DmNetworkError | DmApiError> {
  const err = await p.then(
    () => new Error('expected the request to fail'),
    (e: unknown) => e,
  );
  if (err instanceof DmNetworkError || err instanceof DmApiError) return err;
  throw err;
}

describe('retries of idempotent requests', () => {
  it('GET survives two injected 503s', async () => {
    const dm = dmFor(sb);
    const job = await dm.createUploadJob({ name: 'retry-503', description: '', encrypt: false });
    const before = sb.stats().responses['503'] ?? 0;
    sb.faults.inject({
      method: 'GET',
      path: /\/upload-jobs/,
      times: 2,
      kind: 'status',
      status: 503,
    });
    expect((await dm.getUploadJob(job.id)).id).toBe(job.id);
    expect((sb.stats().responses['503'] ?? 0) - before).toBe(2);
    expect(sb.faults.pending()).toBe(0);
  });

  it('GET honours Retry-After on a 429 and reports it to onRetry', async () => {
    const events: RetryEvent[] = [];
    const dm = dmFor(sb, { onRetry: (e) => events.push(e) });
    sb.faults.inject({
      method: 'GET',
      path: /^\/v3\/firmware-images\/?$/,
      kind: 'status',
      status: 429,
      retryAfterSeconds: 1,
    });
    const started = Date.now();
    await dm.listImages();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(events).toHaveLength(1);
    expect(events[0]?.error).toMatchObject({ code: 'rate-limited', retryAfterSeconds: 1 });
  });

  it('DELETE and PUT are retried too', async () => {
    const dm = dmFor(sb);
    const job = await dm.createUploadJob({ name: 'retry-put', description: '', encrypt: false });
    sb.faults.inject({ method: 'PUT', kind: 'status', status: 502 });
    expect((await dm.updateUploadJob(job.id, { description: 'x' })).description).toBe('x');
    sb.faults.inject({ method: 'DELETE', kind: 'status', status: 500 });
    await dm.deleteUploadJob(job.id);
  });

  it('gives up after maxAttempts and reports the service error', async () => {
    const dm = dmFor(sb, { retry: { maxAttempts: 2, baseDelayMs: 5 } });
    sb.faults.inject({ method: 'GET', path: /accounts/, times: 5, kind: 'status', status: 503 });
    const err = await failure(dm.getMyAccount());
    expect(err).toMatchObject({ code: 'server-error', status: 503 });
    expect(sb.faults.pending()).toBe(3);
  });
});

describe('POST is never retried by the client', () => {
  it('a 503 on create job: one POST reaches the server, the error surfaces', async () => {
    const dm = dmFor(sb);
    sb.faults.inject({
      method: 'POST',
      path: /upload-jobs$/,
      times: 2,
      kind: 'status',
      status: 503,
    });
    const err = await failure(
      dm.createUploadJob({ name: 'post-once', description: '', encrypt: false }),
    );
    expect(err.code).toBe('server-error');
    expect(sb.faults.pending()).toBe(1); // the second armed 503 was never used
  });

  it('a 429 on a chunk POST surfaces with retryAfterSeconds, after one POST', async () => {
    const dm = dmFor(sb);
    const job = await dm.createUploadJob({ name: 'post-429', description: '', encrypt: false });
    const posts = sb.stats().chunkPosts;
    sb.faults.inject({
      method: 'POST',
      path: /chunks/,
      kind: 'status',
      status: 429,
      retryAfterSeconds: 30,
    });
    const data = Buffer.alloc(1000, 1);
    const err = (await failure(
      dm.appendChunk(job.id, { body: data, md5Base64: md5Base64(data) }),
    )) as DmApiError;
    expect(err).toMatchObject({ code: 'rate-limited', retryAfterSeconds: 30 });
    expect(sb.stats().chunkPosts - posts).toBe(1);
  });
});

describe('timeouts, cancellation and broken connections', () => {
  it('a delayed answer times out near timeoutMs', async () => {
    const dm = dmFor(sb, { timeoutMs: 500, retry: { maxAttempts: 1 } });
    sb.faults.inject({ kind: 'delay', ms: 3000, path: /accounts/ });
    const started = Date.now();
    const err = await failure(dm.getMyAccount());
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(480);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('an AbortSignal cancels a delayed request', async () => {
    const dm = dmFor(sb);
    sb.faults.inject({ kind: 'delay', ms: 3000, path: /upload-jobs/ });
    const started = Date.now();
    const err = await failure(dm.listUploadJobs({}, { signal: AbortSignal.timeout(150) }));
    expect(err.code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a reset in the middle of a chunk: network error, sent not none, nothing appended', async () => {
    const dm = dmFor(sb);
    const job = await dm.createUploadJob({
      name: 'reset-mid-body',
      description: '',
      encrypt: false,
    });
    sb.faults.inject({ kind: 'reset', afterBytes: 1000, method: 'POST', path: /chunks/ });
    const data = Buffer.alloc(6 * MiB, 5);
    const err = (await failure(
      dm.appendChunk(job.id, { body: data, md5Base64: md5Base64(data) }),
    )) as DmNetworkError;
    expect(err.code).toBe('network');
    expect(['partial', 'unknown']).toContain(err.sent);
    expect(err.message).toContain('Check the network or proxy.');
    expect((await dm.listChunks(job.id)).data).toEqual([]);
  });

  it('append-then-drop: sent unknown, and the chunk is on the server (what reconciliation finds)', async () => {
    const dm = dmFor(sb);
    const job = await dm.createUploadJob({ name: 'append-drop', description: '', encrypt: false });
    sb.faults.inject({ kind: 'append-then-drop', method: 'POST', path: /chunks/ });
    const data = Buffer.alloc(5 * MiB, 6);
    const err = (await failure(
      dm.appendChunk(job.id, { body: data, md5Base64: md5Base64(data) }),
    )) as DmNetworkError;
    expect(err.code).toBe('network');
    expect(err.sent).toBe('unknown');
    const chunks = await dm.listChunks(job.id);
    expect(chunks.data.map((c) => [c.id, c.length])).toEqual([[1, data.length]]);
  });

  it('a closed sandbox: connection refused, sent none', async () => {
    const gone = await startSandbox({ accounts: [{ key: 'k-gone-0123456789', tier: '0' }] });
    await gone.close();
    const dm = dmFor(gone, { apiKey: 'k-gone-0123456789', retry: { maxAttempts: 1 } });
    const err = (await failure(dm.completeUploadJob('x'))) as DmNetworkError;
    expect(err).toMatchObject({ code: 'network', sent: 'none' });
    expect(err.message).toContain('connection refused');
  });
});
