/**
 * Every failure a technician can see is a FirmdropError: a stable `code` that code can branch on,
 * and a `message` that says what happened and what to do next. Lower-level causes ride along in
 * `cause` and are never shown verbatim (they may hold URLs or server text, never keys).
 */
export type ErrorCode =
  | 'invalid-input'
  // An action that the upload's current state does not allow (pause a finished upload, ...).
  | 'invalid-state'
  | 'file-missing'
  | 'file-unreadable'
  | 'file-empty'
  | 'file-changed'
  | 'name-taken'
  | 'quota-full'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'too-large'
  | 'rate-limited'
  | 'server-error'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'verification-failed'
  | 'job-diverged'
  | 'keychain-unavailable'
  | 'keychain-locked'
  | 'storage'
  | 'bad-response'
  | 'internal';

export class FirmdropError extends Error {
  override name = 'FirmdropError';
  readonly code: ErrorCode;
  /** A ready fix the UI can offer in one click, e.g. a free name when the one asked for is taken. */
  readonly suggestion: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; suggestion?: string | undefined },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.suggestion = options?.suggestion;
  }
}

export function isFirmdropError(err: unknown, code?: ErrorCode): err is FirmdropError {
  return err instanceof FirmdropError && (code === undefined || err.code === code);
}
