/**
 * The one decision on whether a failed request is sent again by the HTTP layer, and after how
 * long. Only requests that cannot do harm twice are repeated blindly; a POST that may have reached
 * the server is never repeated here: the engine reconciles with the server instead.
 */
import { FirmdropError } from './errors';

export interface RequestFailure {
  /** network: no response (reset, refused, DNS); timeout: no response in time; status: an HTTP answer. */
  kind: 'network' | 'timeout' | 'status';
  status?: number;
  /** Retry-After, already parsed to seconds (see parseRetryAfter). */
  retryAfterSeconds?: number;
}

export interface RetryInput {
  method: string;
  /** Attempts made so far, including the one that just failed (1 after the first failure). */
  attempt: number;
  error: RequestFailure;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Uniform in [0, 1); injected so tests and benchmarks are deterministic. */
  random: () => number;
  /**
   * The caller asserts that the server cannot have acted on this request (the connection was
   * refused, DNS or TLS failed, no byte of it was written). Only then may a POST be repeated.
   */
  ambiguousSafe?: boolean;
  /** A Retry-After longer than this is not waited out here: the caller reports it instead. */
  maxRetryAfterMs?: number;
}

export type RetryDecision = { retry: false } | { retry: true; delayMs: number };

/** RFC 9110 idempotent methods that this client uses. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
/**
 * Transient answers: the server timing our request out, rate limiting, gateway/server trouble.
 * 501 (Not Implemented) and 505 will not change by asking again. The upload run's next-step
 * decision uses this same list, so a status is transient or final everywhere alike.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
/** Unattended uploads can wait a few minutes for a rate limit; longer is reported to the user. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Whether to send the request again and after how many ms; exponential backoff, full jitter. */
export function decideRetry(input: RetryInput): RetryDecision {
  const { attempt, error, maxAttempts, baseDelayMs, maxDelayMs } = input;
  if (
    !Number.isInteger(attempt) ||
    attempt < 1 ||
    maxAttempts < 1 ||
    baseDelayMs < 0 ||
    maxDelayMs < 0
  ) {
    throw new FirmdropError(
      'internal',
      `Bad retry settings: attempt ${attempt}, max ${maxAttempts}, delays ${baseDelayMs}/${maxDelayMs} ms.`,
    );
  }
  const no: RetryDecision = { retry: false };
  if (attempt >= maxAttempts) return no;
  const repeatable =
    IDEMPOTENT_METHODS.has(input.method.toUpperCase()) || input.ambiguousSafe === true;
  if (!repeatable) return no;
  const transient =
    error.kind === 'network' ||
    error.kind === 'timeout' ||
    (error.kind === 'status' && error.status !== undefined && RETRYABLE_STATUSES.has(error.status));
  if (!transient) return no;

  // Full jitter (delay uniform in [0, cap]) spreads retries from many uploads after an outage.
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 52));
  const r = Math.min(Math.max(input.random(), 0), 1 - Number.EPSILON);
  let delayMs = Math.floor(r * cap);

  const after = error.retryAfterSeconds;
  if (after !== undefined && Number.isFinite(after) && after > 0) {
    const afterMs = Math.ceil(after * 1000);
    // The server said how long: wait at least that, or leave the decision to the caller.
    if (afterMs > (input.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS)) return no;
    delayMs = Math.max(delayMs, afterMs);
  }
  return { retry: true, delayMs };
}

/**
 * Retry-After as seconds from now: either delta-seconds or an HTTP-date (RFC 9110 §10.2.3);
 * undefined when absent or unreadable, 0 for a date already past.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/u.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/[a-z]/iu.test(text)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}
