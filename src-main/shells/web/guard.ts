import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

const ALLOWED = { ok: true } as const;

/** Hosts the shell answers to. Anything else is a DNS-rebinding attempt or a misdirected request. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/**
 * A page on another site can make the browser send requests to 127.0.0.1; the Host header (which
 * a rebinding attacker's domain ends up in) and the Origin header tell us the request is not ours.
 */
export function checkHostAndOrigin(req: IncomingMessage, port: number): Verdict {
  const hosts = allowedHosts(port);
  const host = req.headers.host?.toLowerCase();
  if (!host || !hosts.includes(host)) {
    return { ok: false, status: 403, message: 'This address answers only to 127.0.0.1.' };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.some((h) => origin.toLowerCase() === `http://${h}`)) {
    return { ok: false, status: 403, message: 'Requests from other sites are refused.' };
  }
  return ALLOWED;
}

/** Constant-time, so the answer's timing says nothing about how much of a guess was right. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
