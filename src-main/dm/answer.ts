import type { Dispatcher } from 'undici';
import { badResponse, type DmRequestInfo } from './errors';
import { apiErrorFromResponse, type OperationContext } from './status-errors';

/**
 * Reads a whole answer: the parsed JSON of a 2xx (undefined when empty), or the DmApiError for
 * anything else. Always consumes the body, so the connection can be reused.
 */
export async function readAnswer(
  res: Dispatcher.ResponseData,
  info: DmRequestInfo,
  ctx: OperationContext,
  secrets: readonly string[],
): Promise<unknown> {
  const text = await res.body.text();
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
