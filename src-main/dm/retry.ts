import { decideRetry } from '../core/retry-policy';
import { abortableSleep } from './deadline';
import { DmApiError, DmNetworkError, type HttpMethod } from './errors';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

/** Told before each retry sleep: the engine watches 429s here to slow the account's whole queue. */
export interface RetryEvent {
  method: HttpMethod;
  path: string;
  /** The attempt that just failed (1 = the first). */
  attempt: number;
  delayMs: number;
  error: DmApiError | DmNetworkError;
}

export interface RetryOptions {
  method: HttpMethod;
  signal?: AbortSignal;
  policy: RetryPolicy;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  onRetry?: (event: RetryEvent) => void;
}

type RetryableError = {
  kind: 'network' | 'timeout' | 'status';
  status?: number;
  retryAfterSeconds?: number;
};

function describe(err: unknown): RetryableError | null {
  if (err instanceof DmApiError) {
    return err.retryAfterSeconds === undefined
      ? { kind: 'status', status: err.status }
      : { kind: 'status', status: err.status, retryAfterSeconds: err.retryAfterSeconds };
  }
  if (err instanceof DmNetworkError) {
    if (err.code === 'network') return { kind: 'network' };
    if (err.code === 'timeout') return { kind: 'timeout' };
  }
  // Cancellation, bad responses, file errors: retrying cannot help.
  return null;
}

/**
 * Runs `fn` until it succeeds or the pure policy says stop. POST is never retried here, whatever
 * the policy says: a chunk POST that failed without an answer may have been appended, and only
 * the engine (which reconciles against `GET …/chunks`) may decide to send it again.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions,
): Promise<T> {
  const sleep = opts.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const error = describe(err);
      if (error === null || opts.method === 'POST' || opts.signal?.aborted) throw err;
      const decision = decideRetry({
        method: opts.method,
        attempt,
        error,
        maxAttempts: opts.policy.maxAttempts,
        baseDelayMs: opts.policy.baseDelayMs,
        maxDelayMs: opts.policy.maxDelayMs,
        random: opts.random ?? Math.random,
      });
      if (!decision.retry) throw err;
      // Retry-After is a floor, whatever backoff the policy computed.
      const floorMs = (error.retryAfterSeconds ?? 0) * 1000;
      const delayMs = Math.max(decision.delayMs, floorMs);
      const known = err as DmApiError | DmNetworkError;
      opts.onRetry?.({ method: opts.method, path: known.path, attempt, delayMs, error: known });
      try {
        await sleep(delayMs, opts.signal);
      } catch {
        throw new DmNetworkError(
          'cancelled',
          `Cancelled while waiting to retry a request to ${known.host}.`,
          {
            method: known.method,
            path: known.path,
            host: known.host,
            // An answered request (status error) changed nothing; a network failure stays as unsure as it was.
            sent: known instanceof DmNetworkError ? known.sent : 'none',
            cause: known,
          },
        );
      }
    }
  }
}
