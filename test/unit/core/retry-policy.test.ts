import { describe, expect, it } from 'vitest';
import {
  decideRetry,
  DEFAULT_MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  type RequestFailure,
  type RetryInput,
} from '../../../src-main/core/retry-policy';
import { catchFirmdropError } from './catch-error';

const NET: RequestFailure = { kind: 'network' };
const status = (s: number, retryAfterSeconds?: number): RequestFailure =>
  retryAfterSeconds === undefined
    ? { kind: 'status', status: s }
    : { kind: 'status', status: s, retryAfterSeconds };

function decide(over: Partial<RetryInput>) {
  return decideRetry({
    method: 'GET',
    attempt: 1,
    error: NET,
    maxAttempts: 5,
    baseDelayMs: 100,
    maxDelayMs: 10_000,
    random: () => 0.5,
    ...over,
  });
}

describe('decideRetry: who is retried', () => {
  it.each<[string, Partial<RetryInput>, boolean]>([
    ['GET after a network error', {}, true],
    ['get in lower case', { method: 'get' }, true],
    ['HEAD', { method: 'HEAD' }, true],
    ['PUT', { method: 'PUT' }, true],
    ['DELETE', { method: 'DELETE' }, true],
    ['GET after a timeout', { error: { kind: 'timeout' } }, true],
    ['POST after a network error', { method: 'POST' }, false],
    ['POST after a timeout', { method: 'POST', error: { kind: 'timeout' } }, false],
    ['POST after a 503', { method: 'POST', error: status(503) }, false],
    ['POST after a 429', { method: 'POST', error: status(429) }, false],
    ['POST that never reached the server', { method: 'POST', ambiguousSafe: true }, true],
    [
      'POST that never reached the server, 429',
      { method: 'POST', ambiguousSafe: true, error: status(429) },
      true,
    ],
    ['POST marked safe, 400', { method: 'POST', ambiguousSafe: true, error: status(400) }, false],
    ['POST with ambiguousSafe false', { method: 'POST', ambiguousSafe: false }, false],
    ['PATCH', { method: 'PATCH' }, false],
    ['the last attempt', { attempt: 5 }, false],
    ['beyond the last attempt', { attempt: 9 }, false],
    ['the attempt before the last', { attempt: 4 }, true],
    ['maxAttempts 1 (no retries)', { maxAttempts: 1 }, false],
    ['a status without a number', { error: { kind: 'status' } }, false],
  ])('%s → %s', (_label, over, retry) => {
    expect(decide(over).retry).toBe(retry);
  });

  it.each([
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [408, true],
    [409, false],
    [413, false],
    [501, false],
    [505, false],
    [200, false],
  ])('GET answered %d → %s', (code, retry) => {
    expect(decide({ error: status(code) }).retry).toBe(retry);
  });
});

describe('decideRetry: how long to wait', () => {
  it.each<[string, Partial<RetryInput>, number]>([
    ['first retry: half of 100 ms', {}, 50],
    ['second retry: half of 200 ms', { attempt: 2 }, 100],
    ['third retry: half of 400 ms', { attempt: 3 }, 200],
    ['capped at maxDelayMs', { attempt: 10, maxAttempts: 20 }, 5_000],
    ['no overflow for a huge attempt', { attempt: 5000, maxAttempts: 10_000 }, 5_000],
    ['random 0 → no wait', { random: () => 0 }, 0],
    ['random 1 (out of range) stays below the cap', { random: () => 1 }, 99],
    ['random below 0 is clamped', { random: () => -3 }, 0],
    ['Retry-After longer than the backoff wins', { error: status(429, 3) }, 3_000],
    ['fractional Retry-After, rounded up', { error: status(503, 0.0015) }, 50],
    ['Retry-After shorter than the backoff: backoff', { error: status(503, 0.01) }, 50],
    ['Retry-After on a 503', { error: status(503, 2) }, 2_000],
    ['Retry-After beyond maxDelayMs is still honoured', { error: status(429, 60) }, 60_000],
    [
      'Retry-After exactly at the default limit',
      { error: status(429, DEFAULT_MAX_RETRY_AFTER_MS / 1000) },
      DEFAULT_MAX_RETRY_AFTER_MS,
    ],
    ['negative Retry-After ignored', { error: status(429, -5) }, 50],
    ['NaN Retry-After ignored', { error: status(429, Number.NaN) }, 50],
    ['infinite Retry-After ignored', { error: status(429, Number.POSITIVE_INFINITY) }, 50],
  ])('%s', (_label, over, delayMs) => {
    expect(decide(over)).toEqual({ retry: true, delayMs });
  });

  it.each<[string, Partial<RetryInput>]>([
    [
      'Retry-After beyond the default limit',
      { error: status(429, DEFAULT_MAX_RETRY_AFTER_MS / 1000 + 1) },
    ],
    ['Retry-After beyond a custom limit', { error: status(429, 11), maxRetryAfterMs: 10_000 }],
  ])('%s: left to the caller', (_label, over) => {
    expect(decide(over)).toEqual({ retry: false });
  });

  it('spreads delays uniformly across [0, cap) with full jitter', () => {
    const delays = [0, 0.25, 0.5, 0.75, 0.999].map((r) => decide({ attempt: 3, random: () => r }));
    expect(delays).toEqual([0, 100, 200, 300, 399].map((delayMs) => ({ retry: true, delayMs })));
  });

  it.each<[string, Partial<RetryInput>]>([
    ['attempt 0', { attempt: 0 }],
    ['a fractional attempt', { attempt: 1.5 }],
    ['maxAttempts 0', { maxAttempts: 0 }],
    ['a negative base delay', { baseDelayMs: -1 }],
    ['a negative max delay', { maxDelayMs: -1 }],
  ])('refuses %s as a bug', (_label, over) => {
    expect(catchFirmdropError(() => decide(over)).code).toBe('internal');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2015, 9, 21, 7, 27, 30); // 30 s before the date below
  it.each<[string | null | undefined, number | undefined]>([
    ['120', 120],
    [' 5 ', 5],
    ['0', 0],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 30],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0], // already past
    ['Wednesday, 21-Oct-15 07:28:00 GMT', 30], // obsolete RFC 850 form
    ['-5', undefined],
    ['1.5', undefined],
    ['2016', 2016], // digits are always delta-seconds
    ['2016-01-01', undefined], // Date.parse reads it, but it is not an HTTP-date
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('%j → %s', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });
});
