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

/** Where a message is read: the window (buttons, fields) or the command line (flags, commands). */
export type Surface = 'ui' | 'cli';

/**
 * What to do next, in each interface's words: "Enter a name." beside a field in the window is
 * "Give a name with --name NAME." on the command line.
 */
export type NextStep = Readonly<Record<Surface, string>>;

/** A fact and its next step: `message` in the window's words, `cli` in the command line's. */
export function worded(fact: string, next: NextStep): { message: string; cli: string } {
  return { message: `${fact} ${next.ui}`, cli: `${fact} ${next.cli}` };
}

export class FirmdropError extends Error {
  override name = 'FirmdropError';
  readonly code: ErrorCode;
  /** A ready fix the UI can offer in one click, e.g. a free name when the one asked for is taken. */
  readonly suggestion: string | undefined;
  /**
   * The message in the command line's words, when its next step differs from the window's
   * (`message`, which the contract carries to the window).
   */
  readonly cliMessage: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; suggestion?: string | undefined; cli?: string | undefined },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.suggestion = options?.suggestion;
    this.cliMessage = options?.cli;
  }
}

/** The error's message as `surface` words it. */
export function messageFor(err: FirmdropError, surface: Surface): string {
  return surface === 'cli' ? (err.cliMessage ?? err.message) : err.message;
}

export function isFirmdropError(err: unknown, code?: ErrorCode): err is FirmdropError {
  return err instanceof FirmdropError && (code === undefined || err.code === code);
}
