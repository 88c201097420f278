import { FirmdropError, type ErrorCode } from '../core/errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One field the service refused, as in ErrorResponse.fields[]. */
export interface DmFieldError {
  name: string;
  message: string;
}

/** Where a request went: enough to say what failed, never a header, a key or a query string. */
export interface DmRequestInfo {
  method: HttpMethod;
  /** Path only: no query string (filters may hold names a technician typed; keys never go there). */
  path: string;
  host: string;
}

/** The service answered with a non-2xx status. */
export class DmApiError extends FirmdropError {
  override name = 'DmApiError';
  readonly status: number;
  /** ErrorResponse.type, e.g. "validation_error"; '' when the body was not an ErrorResponse. */
  readonly type: string;
  readonly serverMessage: string;
  readonly requestId: string;
  readonly fields: readonly DmFieldError[];
  /** From Retry-After (429, sometimes 503): the engine slows the whole account's queue on it. */
  readonly retryAfterSeconds: number | undefined;
  readonly method: HttpMethod;
  readonly path: string;
  readonly host: string;

  constructor(
    code: ErrorCode,
    message: string,
    details: DmRequestInfo & {
      status: number;
      type: string;
      serverMessage: string;
      requestId: string;
      fields: readonly DmFieldError[];
      retryAfterSeconds: number | undefined;
    },
  ) {
    super(code, message);
    this.status = details.status;
    this.type = details.type;
    this.serverMessage = details.serverMessage;
    this.requestId = details.requestId;
    this.fields = details.fields;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.method = details.method;
    this.path = details.path;
    this.host = details.host;
  }
}

/**
 * Whether the request's bytes may have reached the service. The engine uses it to decide whether
 * a chunk POST needs reconciliation (`GET …/chunks`) before anything else is sent:
 * - `none`: nothing reached the service (connection refused, DNS failure, TLS or proxy refusal, or
 *   the body had not started): safe to send again.
 * - `partial`: the connection failed while the body was still being read out; the service cannot
 *   hold a complete request, but reconcile anyway before resending.
 * - `unknown`: the whole request may have arrived and been acted upon; reconcile.
 */
export type SentState = 'none' | 'partial' | 'unknown';

export type TransportErrorCode = Extract<ErrorCode, 'network' | 'timeout' | 'cancelled'>;

/** No usable HTTP answer: the network failed, the deadline passed, or the caller cancelled. */
export class DmNetworkError extends FirmdropError {
  override name = 'DmNetworkError';
  declare readonly code: TransportErrorCode;
  readonly sent: SentState;
  readonly method: HttpMethod;
  readonly path: string;
  readonly host: string;
  /**
   * What went wrong alone ("connection refused", "did not answer within 30 s"), for a caller that
   * words its own sentence around it instead of quoting the whole message (and its advice) again.
   */
  readonly reason: string;

  constructor(
    code: TransportErrorCode,
    message: string,
    details: DmRequestInfo & { sent: SentState; cause?: Error; reason?: string; cli?: string },
  ) {
    super(code, message, { cause: details.cause, cli: details.cli });
    this.reason = details.reason ?? message;
    this.sent = details.sent;
    this.method = details.method;
    this.path = details.path;
    this.host = details.host;
  }
}

/** A 2xx answer whose body does not match the model this client relies on. */
export function badResponse(endpoint: string, host: string, problem: string): FirmdropError {
  return new FirmdropError(
    'bad-response',
    `The answer from ${host} to ${endpoint} was not understood: ${problem}. ` +
      'Check that the base URL points at a Device Management API; if it does, report this.',
  );
}

export function isDmApiError(err: unknown, status?: number): err is DmApiError {
  return err instanceof DmApiError && (status === undefined || err.status === status);
}

export function isDmNetworkError(err: unknown): err is DmNetworkError {
  return err instanceof DmNetworkError;
}
