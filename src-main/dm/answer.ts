import type { Dispatcher } from 'undici';
import { FirmdropError } from '../core/errors';
import { MiB } from '../core/limits';
import { badResponse, type DmRequestInfo } from './errors';
import { apiErrorFromResponse, type OperationContext } from './status-errors';

/**
 * The most of an answer Firmdrop reads. The largest real answers (a page of 1,000 images or
 * chunks) are well under 1 MiB; without a cap a 2 GB answer took the process to 4.2 GB of memory
 * and then ended as a misleading "network failure".
 */
export const MAX_ANSWER_BYTES = 16 * MiB;

function tooLarge(info: DmRequestInfo, what: string): FirmdropError {
  return new FirmdropError(
    'bad-response',
    `The answer from ${info.host} to ${info.method} ${info.path} was too large (${what}; ` +
      `Device Management answers are far smaller than ${MAX_ANSWER_BYTES / MiB} MiB), so ` +
      'Firmdrop stopped reading it. Check that the base URL points at a Device Management API ' +
      '(and that no proxy in between answers in its place).',
  );
}

/**
 * The body as text, read up to MAX_ANSWER_BYTES. Past that (or when Content-Length already says
 * so) the body is destroyed — the connection closes rather than draining gigabytes — and the
 * error says the answer was too large.
 */
async function readCapped(res: Dispatcher.ResponseData, info: DmRequestInfo): Promise<string> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_ANSWER_BYTES) {
    res.body.destroy();
    throw tooLarge(info, `${declared} bytes announced`);
  }
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > MAX_ANSWER_BYTES) {
      res.body.destroy();
      throw tooLarge(info, `more than ${MAX_ANSWER_BYTES / MiB} MiB`);
    }
    parts.push(chunk);
  }
  // TextDecoder drops a leading byte order mark, as undici's body.text() did.
  return new TextDecoder().decode(Buffer.concat(parts, total));
}

/**
 * Reads a whole answer: the parsed JSON of a 2xx (undefined when empty), or the DmApiError for
 * anything else. Always consumes (or, when too large, destroys) the body, so the connection can
 * be reused or is closed.
 */
export async function readAnswer(
  res: Dispatcher.ResponseData,
  info: DmRequestInfo,
  ctx: OperationContext,
  secrets: readonly string[],
): Promise<unknown> {
  const text = await readCapped(res, info);
  let data: unknown;
  let parsedOk = true;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      parsedOk = false; // gateways answer errors in HTML; the status still says what happened
    }
  }
  if (res.statusCode < 200 || res.statusCode > 299) {
    const retryAfter = res.headers['retry-after'];
    throw apiErrorFromResponse(
      res.statusCode,
      data,
      Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      info,
      ctx,
      secrets,
    );
  }
  if (!parsedOk) {
    throw badResponse(
      `${info.method} ${info.path}`,
      info.host,
      `HTTP ${res.statusCode} with a body that is not JSON`,
    );
  }
  return data;
}
