import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  classifyFailure,
  DEFAULT_STEP_LIMITS,
  networkProbeDelayMs,
  nextStep,
  pollDelayMs,
  type FailureFacts,
  type FailureKind,
  type Outcome,
  type RunTally,
  type StepLimits,
} from '../../../src-main/core/next-step';
import { RETRYABLE_STATUSES } from '../../../src-main/core/retry-policy';

/** Just under 1: Math.random never returns 1 itself. */
const ALMOST_ONE = 1 - Number.EPSILON;
const LIMITS: StepLimits = { maxAttempts: 5, maxRestarts: 3, maxPolls: 12 };
const failure = (facts: FailureFacts): Outcome => ({ kind: 'failure', facts });
const tally = (over: Partial<RunTally> = {}): RunTally => ({
  failures: 1,
  restarts: 0,
  polls: 0,
  ...over,
});
const step = (outcome: Outcome, over: Partial<RunTally> = {}, random = () => 0.5) =>
  nextStep(outcome, tally(over), LIMITS, random);

describe('classifyFailure', () => {
  it.each<[string, FailureFacts, FailureKind]>([
    ['network', { transport: 'network' }, 'network'],
    ['timeout', { transport: 'timeout' }, 'network'],
    ['cancelled', { transport: 'cancelled' }, 'fatal'],
    ['408', { status: 408 }, 'transient'],
    ['429', { status: 429 }, 'rate-limited'],
    ['429 with Retry-After', { status: 429, retryAfterSeconds: 9 }, 'rate-limited'],
    ['500', { status: 500 }, 'transient'],
    ['501', { status: 501 }, 'fatal'],
    ['502', { status: 502 }, 'transient'],
    ['503', { status: 503 }, 'transient'],
    ['504', { status: 504 }, 'transient'],
    ['505', { status: 505 }, 'fatal'],
    ['400', { status: 400 }, 'fatal'],
    ['401', { status: 401 }, 'fatal'],
    ['403', { status: 403 }, 'fatal'],
    ['404', { status: 404 }, 'fatal'],
    ['409', { status: 409 }, 'fatal'],
    ['413', { status: 413 }, 'fatal'],
    ["code 'server-error'", { code: 'server-error' }, 'transient'],
    ["code 'file-changed'", { code: 'file-changed' }, 'fatal'],
    ["code 'internal'", { code: 'internal' }, 'fatal'],
    ['no facts at all', {}, 'fatal'],
    // What the run reads off a DmApiError carries both: the status decides.
    ["501 with code 'server-error'", { status: 501, code: 'server-error' }, 'fatal'],
    ["505 with code 'server-error'", { status: 505, code: 'server-error' }, 'fatal'],
    ["503 with code 'server-error'", { status: 503, code: 'server-error' }, 'transient'],
    // ... and a transport failure decides over anything else.
    ['network with a status', { transport: 'network', status: 400 }, 'network'],
    ['cancelled with a 503', { transport: 'cancelled', status: 503 }, 'fatal'],
  ])('%s → %s', (_label, facts, kind) => {
    expect(classifyFailure(facts)).toBe(kind);
  });

  it('agrees with the HTTP layer on every status from 400 to 599', () => {
    for (let status = 400; status <= 599; status++) {
      const retried = classifyFailure({ status }) !== 'fatal';
      expect({ status, retried }).toEqual({ status, retried: RETRYABLE_STATUSES.has(status) });
    }
  });
});

describe('nextStep: failures', () => {
  it.each<[string, FailureFacts]>([
    ['401', { status: 401 }],
    ['501', { status: 501 }],
    ['505', { status: 505 }],
    ['cancelled', { transport: 'cancelled' }],
    ['file-changed', { code: 'file-changed' }],
  ])('a fatal failure (%s) gives up at once, as fatal even when attempts are used up', (_l, f) => {
    expect(step(failure(f), { failures: 1 })).toEqual({ kind: 'give-up', reason: 'fatal' });
    expect(step(failure(f), { failures: LIMITS.maxAttempts })).toEqual({
      kind: 'give-up',
      reason: 'fatal',
    });
  });

  it.each<[string, FailureFacts]>([
    ['503', { status: 503 }],
    ['429', { status: 429, retryAfterSeconds: 2 }],
    ['network', { transport: 'network' }],
    ['timeout', { transport: 'timeout' }],
    ['server-error', { code: 'server-error' }],
  ])('%s: goes on at maxAttempts-1, gives up (attempts) at maxAttempts and after', (_l, f) => {
    expect(step(failure(f), { failures: LIMITS.maxAttempts - 1 }).kind).not.toBe('give-up');
    for (const failures of [LIMITS.maxAttempts, LIMITS.maxAttempts + 3]) {
      expect(step(failure(f), { failures })).toEqual({ kind: 'give-up', reason: 'attempts' });
    }
  });

  it('a transient status is retried after backoffMs(failures)', () => {
    for (let failures = 1; failures < LIMITS.maxAttempts; failures++) {
      for (const r of [0, 0.5, ALMOST_ONE]) {
        expect(step(failure({ status: 503 }), { failures }, () => r)).toEqual({
          kind: 'retry',
          delayMs: backoffMs(failures, () => r),
        });
      }
    }
  });

  it('a network failure or timeout waits for the network, with no delay of its own', () => {
    expect(step(failure({ transport: 'network' }))).toEqual({ kind: 'wait-network' });
    expect(step(failure({ transport: 'timeout' }), { failures: 4 })).toEqual({
      kind: 'wait-network',
    });
  });

  it.each<[string, number | undefined, number]>([
    ['Retry-After 7', 7, 7000],
    ['Retry-After 0', 0, 0],
    ['a negative Retry-After (never below 0)', -3, 0],
    ['no Retry-After: the usual 5 s window', undefined, 5000],
  ])('429 with %s waits %i ms, whatever the jitter', (_l, retryAfterSeconds, delayMs) => {
    const facts: FailureFacts =
      retryAfterSeconds === undefined
        ? { status: 429 }
        : { status: 429, retryAfterSeconds: retryAfterSeconds };
    for (const r of [0, ALMOST_ONE]) {
      expect(step(failure(facts), { failures: 2 }, () => r)).toEqual({ kind: 'retry', delayMs });
    }
  });

  it('the default limits are 3 restarts and 12 polls', () => {
    expect(DEFAULT_STEP_LIMITS).toEqual({ maxRestarts: 3, maxPolls: 12 });
  });
});

describe('nextStep: restarts and polls', () => {
  const untrusted: Outcome = { kind: 'job-untrusted' };

  it('a job that cannot be trusted is restarted until maxRestarts, then the run gives up', () => {
    expect(step(untrusted, { restarts: 0 })).toEqual({ kind: 'restart-job' });
    expect(step(untrusted, { restarts: LIMITS.maxRestarts - 1 })).toEqual({
      kind: 'restart-job',
    });
    expect(step(untrusted, { restarts: LIMITS.maxRestarts })).toEqual({
      kind: 'give-up',
      reason: 'restarts',
    });
    expect(step(untrusted, { restarts: LIMITS.maxRestarts + 1 }).kind).toBe('give-up');
  });

  it('restarts are counted apart from failures and polls', () => {
    const used = { failures: LIMITS.maxAttempts + 1, polls: LIMITS.maxPolls + 1 };
    expect(step(untrusted, { ...used, restarts: 0 })).toEqual({ kind: 'restart-job' });
  });

  it.each<Outcome['kind']>(['completing', 'image-pending'])(
    '%s: asks again after pollDelayMs(polls) until maxPolls, then gives up (polls)',
    (kind) => {
      const outcome = { kind } as Outcome;
      for (let polls = 1; polls < LIMITS.maxPolls; polls++) {
        expect(step(outcome, { polls })).toEqual({ kind: 'retry', delayMs: pollDelayMs(polls) });
      }
      expect(step(outcome, { polls: LIMITS.maxPolls })).toEqual({
        kind: 'give-up',
        reason: 'polls',
      });
      expect(step(outcome, { polls: LIMITS.maxPolls + 5 }).kind).toBe('give-up');
      // Failures in the same run do not count against the polls, nor the polls against them.
      expect(step(outcome, { polls: 1, failures: LIMITS.maxAttempts }).kind).toBe('retry');
    },
  );
});

describe('the delays', () => {
  it.each([
    [0, 500, 1000],
    [1, 1000, 2000],
    [2, 2000, 4000],
    [3, 4000, 8000],
    [4, 8000, 16_000],
    // 32 s would be next: capped at 30 s.
    [5, 15_000, 30_000],
    [6, 15_000, 30_000],
    [60, 15_000, 30_000],
    [-2, 500, 1000],
  ])('backoffMs(%i): %i ms with random 0, %i ms with random ~1', (failures, low, high) => {
    expect(backoffMs(failures, () => 0)).toBe(low);
    expect(backoffMs(failures, () => ALMOST_ONE)).toBe(high);
    const mid = backoffMs(failures, () => 0.5);
    expect(mid).toBe(Math.round((low + high) / 2));
  });

  it('backoffMs: equal jitter, always between half the cap and the cap; random clamped to [0, 1]', () => {
    for (let failures = 0; failures <= 8; failures++) {
      const cap = Math.min(30_000, 1000 * 2 ** failures);
      for (let i = 0; i <= 20; i++) {
        const ms = backoffMs(failures, () => i / 20);
        expect(ms).toBeGreaterThanOrEqual(cap / 2);
        expect(ms).toBeLessThanOrEqual(cap);
      }
      expect(backoffMs(failures, () => -1)).toBe(cap / 2);
      expect(backoffMs(failures, () => 7)).toBe(cap);
    }
  });

  it.each([
    [0, 1000],
    [1, 2000],
    [2, 4000],
    [3, 8000],
    // 16 s would be next: every 15 s from here on.
    [4, 15_000],
    [5, 15_000],
    [1000, 15_000],
    [-1, 1000],
  ])('networkProbeDelayMs(%i) = %i', (probes, ms) => {
    expect(networkProbeDelayMs(probes)).toBe(ms);
  });

  it.each([
    [0, 500],
    [1, 500],
    [2, 1000],
    [3, 1500],
    [9, 4500],
    [10, 5000],
    // 5.5 s would be next: capped at 5 s.
    [11, 5000],
    [500, 5000],
  ])('pollDelayMs(%i) = %i', (polls, ms) => {
    expect(pollDelayMs(polls)).toBe(ms);
  });

  it('the waits between the default maxPolls looks add up to 32.5 s', () => {
    let total = 0;
    for (let polls = 1; polls < DEFAULT_STEP_LIMITS.maxPolls; polls++) total += pollDelayMs(polls);
    expect(total).toBe(32_500);
  });
});
