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

export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The token normally travels in a header. EventSource cannot set headers, so the events stream
 * (and the page itself) may carry it in the query instead.
 */
export function checkToken(
  req: IncomingMessage,
  url: URL,
  token: string,
  opts: { allowQuery: boolean },
): Verdict {
  const header = req.headers['x-firmdrop-token'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  const given = fromHeader ?? (opts.allowQuery ? url.searchParams.get('token') : null) ?? null;
  if (given === null || given === '') {
    return {
      ok: false,
      status: 401,
      message: 'The Firmdrop token is missing: open the address that "firmdrop web" printed.',
    };
  }
  if (!tokensEqual(given, token)) {
    return {
      ok: false,
      status: 403,
      message: 'The Firmdrop token is wrong: open the address that "firmdrop web" printed.',
    };
  }
  return ALLOWED;
}
