import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '../../core/errors';
import type { ContractError, Result } from '../../app/contract';

/** Headers every response carries, whatever it holds. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Transport failures use the same Result shape as the service, so the bridge has one path. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: ErrorCode,
  message: string,
  field?: string,
): void {
  const error: ContractError = field ? { code, message, field } : { code, message };
  const body: Result<never> = { ok: false, error };
  sendJson(res, status, body);
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body is larger than ${limit} bytes`);
  }
}

/** Reads a small body into memory, refusing (without reading on) once it passes `limit`. */
export async function readSmallBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    parts.push(part);
  }
  return Buffer.concat(parts);
}
