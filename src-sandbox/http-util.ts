import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { ApiError } from './api-error';
import type { Reply } from './context';
import type { SandboxStats } from './types';

/** The service's ErrorResponse for a refusal. */
export function errorReply(err: ApiError, requestId: string): Reply {
  return {
    status: err.status,
    json: {
      code: err.status,
      message: err.message,
      object: 'error',
      request_id: requestId,
      type: err.type,
      fields: err.fields,
    },
    headers: { ...err.headers, ...(err.closeConnection ? { Connection: 'close' } : {}) },
  };
}

export function sendReply(
  res: ServerResponse,
  reply: Reply,
  requestId: string,
  /** Null for admin calls, which the stats leave out. */
  stats: SandboxStats | null,
): void {
  if (res.destroyed || res.headersSent) return;
  if (stats) {
    const key = String(reply.status);
    stats.responses[key] = (stats.responses[key] ?? 0) + 1;
  }
  const headers: Record<string, string | number> = { 'X-Request-Id': requestId, ...reply.headers };
  if ('stream' in reply) {
    res.writeHead(reply.status, headers);
    if (reply.headOnly) res.end();
    else pipeline(reply.stream(), res, () => undefined);
    return;
  }
  if (reply.json === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const body = JSON.stringify(reply.json);
  res.writeHead(reply.status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
