import type { ErrorCode } from '../core/errors';
import { parseRetryAfter } from '../core/retry-policy';
import { DmApiError, type DmFieldError, type DmRequestInfo } from './errors';
import { describeRegion } from './regions';
import { scrubSecrets } from './redact';

/** What the endpoint was doing, so a message can say it in the technician's words. */
export interface OperationContext {
  /** Verb phrase: "create the upload job", "list firmware images". */
  operation: string;
  /** What a 404 means here: "Upload job 0165…" (omit when a 404 means a wrong base URL). */
  resource?: string;
  /** The name we asked for, so a 409 can say which one is taken. */
  name?: string;
}

export interface ErrorBody {
  type: string;
  message: string;
  requestId: string;
  fields: DmFieldError[];
}

/** Best-effort reading of an ErrorResponse; gateways may answer with HTML or nothing at all. */
export function readErrorBody(raw: unknown): ErrorBody {
  const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const fields: DmFieldError[] = [];
  if (Array.isArray(obj.fields)) {
    for (const f of obj.fields as unknown[]) {
      if (typeof f === 'object' && f !== null) {
        const rec = f as Record<string, unknown>;
        fields.push({ name: str(rec.name), message: str(rec.message) });
      }
    }
  }
  return { type: str(obj.type), message: str(obj.message), requestId: str(obj.request_id), fields };
}

// The service words a full account as a 403; the wording varies, so look for the idea of a limit.
const QUOTA_HINT = /quota|limit|maximum|too many|exceed/i;

function messageFor(
  status: number,
  body: ErrorBody,
  req: DmRequestInfo,
  ctx: OperationContext,
  retryAfterSeconds: number | undefined,
): { code: ErrorCode; message: string } {
  const { host } = req;
  const said = body.message ? ` The service said: "${body.message}".` : '';
  const fieldText = body.fields.length
    ? ` ${body.fields.map((f) => `${f.name}: ${f.message}`).join('; ')}.`
    : '';
  if (status === 400) {
    return {
      code: 'invalid-input',
      message: `Device Management refused the request to ${ctx.operation}.${said}${fieldText} Correct it and try again.`,
    };
  }
  if (status === 401) {
    return {
      code: 'unauthorized',
      message:
        `The API key was refused by ${host}. Check the key, and that the account's region is ` +
        `${describeRegion(host)} (a key only works in its own region).`,
    };
  }
  if (status === 403) {
    if (QUOTA_HINT.test(`${body.message} ${body.type}`)) {
      return {
        code: 'quota-full',
        message:
          "The account's firmware image quota is full (10 on a free account, 1,000 commercial): " +
          'delete images or upgrade.',
      };
    }
    return {
      code: 'forbidden',
      message: `The account on ${host} is not allowed to ${ctx.operation}.${said} Ask the account administrator for access to firmware images.`,
    };
  }
  if (status === 404) {
    return {
      code: 'not-found',
      message: ctx.resource
        ? `${ctx.resource} was not found on ${host}: it may have been deleted. Refresh and try again.`
        : `${host} has no ${req.path} (HTTP 404). Check that the base URL points at a Device Management API.`,
    };
  }
  if (status === 409) {
    const which = ctx.name === undefined ? 'with that name' : `named "${ctx.name}"`;
    return {
      code: 'name-taken',
      message: `An image or upload job ${which} already exists in this account. Choose another name.`,
    };
  }
  if (status === 413) {
    return {
      code: 'too-large',
      message: `The request was too large for ${host} (at most 100 MiB per request). Upload the file as a resumable upload job instead.`,
    };
  }
  if (status === 429) {
    const when = retryAfterSeconds === undefined ? 'shortly' : `after ${retryAfterSeconds} s`;
    return {
      code: 'rate-limited',
      message: `${host} is rate limiting this account (too many requests). Firmdrop will retry ${when}.`,
    };
  }
  if (status >= 500) {
    return {
      code: 'server-error',
      message: `Device Management at ${host} failed to ${ctx.operation} (HTTP ${status}): a service-side problem. Try again in a few minutes.`,
    };
  }
  if (status >= 400) {
    return {
      code: 'invalid-input',
      message: `Device Management refused the request to ${ctx.operation} (HTTP ${status}).${said}`,
    };
  }
  return {
    code: 'bad-response',
    message: `Unexpected HTTP ${status} from ${host} while trying to ${ctx.operation}. Check the base URL.`,
  };
}

/** Maps a non-2xx answer to a DmApiError whose message a technician can act on. */
export function apiErrorFromResponse(
  status: number,
  rawBody: unknown,
  retryAfterHeader: string | undefined,
  req: DmRequestInfo,
  ctx: OperationContext,
  secrets: readonly string[],
): DmApiError {
  const scrub = (s: string): string => scrubSecrets(s, secrets);
  const parsed = readErrorBody(rawBody);
  const body: ErrorBody = {
    type: scrub(parsed.type),
    message: scrub(parsed.message),
    requestId: scrub(parsed.requestId),
    fields: parsed.fields.map((f) => ({ name: scrub(f.name), message: scrub(f.message) })),
  };
  const retryAfterSeconds = parseRetryAfter(retryAfterHeader, Date.now());
  const { code, message } = messageFor(status, body, req, ctx, retryAfterSeconds);
  return new DmApiError(code, message, {
    ...req,
    status,
    type: body.type,
    serverMessage: body.message,
    requestId: body.requestId,
    fields: body.fields,
    retryAfterSeconds,
  });
}
