/**
 * The one decision an upload run takes after anything goes wrong: retry (every attempt begins by
 * asking the server what it holds, so a retry is always a reconcile), restart the job, wait for
 * the account's host to answer, or give up and let the user decide. Plain data in, plain data
 * out; the run only carries the step out. Every backoff of the engine is here too.
 */
import type { ErrorCode } from './errors';
import { RETRYABLE_STATUSES } from './retry-policy';

/** What went wrong, as facts the run reads off its error (no error classes cross into core). */
export interface FailureFacts {
  /** No usable HTTP answer: the connection failed, the deadline passed, or it was cancelled. */
  transport?: 'network' | 'timeout' | 'cancelled';
  /** The HTTP status the service answered with. */
  status?: number;
  retryAfterSeconds?: number;
  /** The FirmdropError code, for failures that are neither (a file that changed, a taken name). */
  code?: ErrorCode;
}

export type Outcome =
  | { kind: 'failure'; facts: FailureFacts }
  /** The server's job cannot be trusted (diverged, deleted, the file changed): start a clean one. */
  | { kind: 'job-untrusted' }
  /** The completing chunk landed but the job does not say it is complete yet. */
  | { kind: 'completing' }
  /** The job is complete but names no firmware image yet. */
  | { kind: 'image-pending' };

export interface RunTally {
  /** Failed attempts in a row without progress, this one included. */
  failures: number;
  /** Clean jobs started in this run. */
  restarts: number;
  /** Looks at a completing job (or one without its image) in a row, this one included. */
  polls: number;
}

export interface StepLimits {
  maxAttempts: number;
  maxRestarts: number;
  maxPolls: number;
}

export const DEFAULT_STEP_LIMITS: Omit<StepLimits, 'maxAttempts'> = {
  maxRestarts: 3,
  // About half a minute of asking (see pollDelayMs: 32.5 s in all) before the user is told.
  maxPolls: 12,
};

export type FailureKind = 'network' | 'rate-limited' | 'transient' | 'fatal';

export type GiveUpReason = 'fatal' | 'attempts' | 'restarts' | 'polls';

export type Step =
  | { kind: 'retry'; delayMs: number }
  | { kind: 'restart-job' }
  | { kind: 'wait-network' }
  | { kind: 'give-up'; reason: GiveUpReason };

export function classifyFailure(f: FailureFacts): FailureKind {
  if (f.transport === 'network' || f.transport === 'timeout') return 'network';
  if (f.transport === 'cancelled') return 'fatal';
  if (f.status === 429) return 'rate-limited';
  // One list for the HTTP layer and the run: 501 and 505 are as final as a 4xx in both.
  if (f.status !== undefined) return RETRYABLE_STATUSES.has(f.status) ? 'transient' : 'fatal';
  // A completing job that takes long is not a failure of ours (see the 'completing' outcome).
  return f.code === 'server-error' ? 'transient' : 'fatal';
}

export function nextStep(
  outcome: Outcome,
  tally: RunTally,
  limits: StepLimits,
  random: () => number,
): Step {
  switch (outcome.kind) {
    case 'job-untrusted':
      return tally.restarts >= limits.maxRestarts
        ? { kind: 'give-up', reason: 'restarts' }
        : { kind: 'restart-job' };
    case 'completing':
    case 'image-pending':
      return tally.polls >= limits.maxPolls
        ? { kind: 'give-up', reason: 'polls' }
        : { kind: 'retry', delayMs: pollDelayMs(tally.polls) };
    case 'failure': {
      const kind = classifyFailure(outcome.facts);
      if (kind === 'fatal') return { kind: 'give-up', reason: 'fatal' };
      if (tally.failures >= limits.maxAttempts) return { kind: 'give-up', reason: 'attempts' };
      if (kind === 'network') return { kind: 'wait-network' };
      if (kind === 'rate-limited') {
        // The service said how long; without a Retry-After, five seconds is its usual window.
        return {
          kind: 'retry',
          delayMs: Math.max(0, (outcome.facts.retryAfterSeconds ?? 5) * 1000),
        };
      }
      return { kind: 'retry', delayMs: backoffMs(tally.failures, random) };
    }
  }
}

/** After a transient failure: exponential, capped at 30 s, with "equal jitter" (half fixed). */
export function backoffMs(failures: number, random: () => number): number {
  const cap = Math.min(30_000, 1000 * 2 ** Math.max(0, failures));
  return Math.round(cap / 2 + (clamp01(random()) * cap) / 2);
}

/** Between two looks at an unreachable host: 1, 2, 4, 8, then every 15 s. */
export function networkProbeDelayMs(probesSoFar: number): number {
  return Math.min(15_000, 1000 * 2 ** Math.min(Math.max(0, probesSoFar), 4));
}

/** Between two looks at a completing job: 0.5 s, 1 s, 1.5 s … up to 5 s. */
export function pollDelayMs(polls: number): number {
  return Math.min(5_000, 500 * Math.max(1, polls));
}

function clamp01(x: number): number {
  return Math.min(Math.max(x, 0), 1);
}
