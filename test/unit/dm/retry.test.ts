import { describe, expect, it } from 'vitest';
import { FirmdropError } from '../../../src-main/core/errors';
import { DmApiError, DmNetworkError, type HttpMethod } from '../../../src-main/dm/errors';
import { withRetry, type RetryEvent } from '../../../src-main/dm/retry';
import { caught } from './catch';

const where = { method: 'GET' as HttpMethod, path: '/v3/firmware-images/', host: 'h' };
const apiError = (status: number, retryAfterSeconds?: number) =>
  new DmApiError(status === 429 ? 'rate-limited' : 'server-error', `HTTP ${status}`, {
    ...where,
    status,
    type: '',
    serverMessage: '',
    requestId: '',
    fields: [],
    retryAfterSeconds,
  });
const netError = (code: 'network' | 'timeout' | 'cancelled' = 'network') =>
  new DmNetworkError(code, code, { ...where, sent: 'unknown' });

/** A function that fails with each scripted error in turn, then returns 'ok'. */
function scripted(errors: Error[]) {
  let calls = 0;
  const fn = async () => {
    const err = errors[calls++];
    if (err) throw err;
    return 'ok';
  };
  return { fn, calls: () => calls };
}

function harness(method: HttpMethod = 'GET', maxAttempts = 4) {
  const sleeps: number[] = [];
  const events: RetryEvent[] = [];
  return {
    sleeps,
    events,
    opts: {
      method,
      policy: { maxAttempts, baseDelayMs: 100, maxDelayMs: 1000 },
      sleep: async (ms: number) => void sleeps.push(ms),
      random: () => 0.5,
      onRetry: (e: RetryEvent) => events.push(e),
    },
  };
}

describe('withRetry', () => {
  it('retries transient failures of idempotent requests with backoff', async () => {
    const s = scripted([apiError(503), netError('timeout'), netError('network')]);
    const h = harness('GET');
    await expect(withRetry(s.fn, h.opts)).resolves.toBe('ok');
    expect(s.calls()).toBe(4);
    expect(h.sleeps).toEqual([50, 100, 200]);
    expect(h.events.map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  it.each<HttpMethod>(['PUT', 'DELETE'])('retries %s', async (method) => {
    const s = scripted([apiError(502)]);
    await expect(withRetry(s.fn, harness(method).opts)).resolves.toBe('ok');
    expect(s.calls()).toBe(2);
  });

  it('never retries a POST, not even a 503 or a refused connection', async () => {
    for (const err of [apiError(503), apiError(429, 1), netError('network')]) {
      const s = scripted([err]);
      expect(await caught(() => withRetry(s.fn, harness('POST').opts))).toBe(err);
      expect(s.calls()).toBe(1);
    }
  });

  it('waits at least Retry-After on a 429 and tells onRetry', async () => {
    const s = scripted([apiError(429, 3)]);
    const h = harness('GET');
    await withRetry(s.fn, h.opts);
    expect(h.sleeps).toEqual([3000]);
    expect(h.events[0]?.error).toBeInstanceOf(DmApiError);
    expect((h.events[0]?.error as DmApiError).retryAfterSeconds).toBe(3);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const last = apiError(500);
    const s = scripted([apiError(500), apiError(500), last, apiError(500)]);
    expect(await caught(() => withRetry(s.fn, harness('GET', 3).opts))).toBe(last);
    expect(s.calls()).toBe(3);
  });

  it.each([400, 401, 403, 404, 409])('does not retry HTTP %d', async (status) => {
    const s = scripted([apiError(status)]);
    await caught(() => withRetry(s.fn, harness('GET').opts));
    expect(s.calls()).toBe(1);
  });

  it('does not retry cancellations or non-HTTP errors', async () => {
    for (const err of [netError('cancelled'), new FirmdropError('bad-response', 'x')]) {
      const s = scripted([err]);
      expect(await caught(() => withRetry(s.fn, harness('GET').opts))).toBe(err);
      expect(s.calls()).toBe(1);
    }
  });

  it('a cancel during the backoff ends with a cancelled error carrying the last failure', async () => {
    const controller = new AbortController();
    const failure = apiError(503);
    const s = scripted([failure]);
    const err = await caught(() =>
      withRetry(s.fn, {
        ...harness('GET').opts,
        signal: controller.signal,
        sleep: async () => {
          controller.abort();
          throw new Error('aborted');
        },
      }),
    );
    expect(err.code).toBe('cancelled');
    expect(err.cause).toBe(failure);
    expect(s.calls()).toBe(1);
  });
});
