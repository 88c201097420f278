import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokensEqual, type Verdict } from './guard';

/** A browser session ends after this long without a request. */
export const DEFAULT_SESSION_IDLE_MS = 12 * 60 * 60 * 1000;

export interface SessionOptions {
  /** The run's token: in the URL "firmdrop web" prints, or in the X-Firmdrop-Token header. */
  token: string;
  idleMs: number;
  now?: () => number;
}

/** What opening the page with the token gives: the session cookie to set. */
export type Admission = { ok: true; setCookie: string | null } | Exclude<Verdict, { ok: true }>;

export type Access = { ok: true; session: string | null } | Exclude<Verdict, { ok: true }>;

const REOPEN = 'open the address that "firmdrop web" printed';

function describeSpan(ms: number): string {
  const [n, unit] =
    ms >= 3_600_000
      ? [Math.round(ms / 3_600_000), 'hour']
      : ms >= 60_000
        ? [Math.round(ms / 60_000), 'minute']
        : [Math.max(1, Math.round(ms / 1000)), 'second'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Each `name=value` of a Cookie header. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/**
 * The page's URL carries the run's token once; the page then lives on an HttpOnly, SameSite=Strict
 * cookie holding a session id of its own, so the token need not stay in the address bar, the
 * history or the page (scripts cannot read the cookie). A session unused for `idleMs` ends, and
 * the page must be opened again from the printed address. Programs (tests, scripts) may instead
 * send the token itself in the X-Firmdrop-Token header, which no other site can make a browser do.
 */
export class Sessions {
  private readonly lastSeen = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly opts: SessionOptions) {
    this.now = opts.now ?? Date.now;
  }

  /**
   * One cookie per port: cookies ignore the port, so two shells on 127.0.0.1 would otherwise
   * overwrite each other's.
   */
  cookieName(port: number): string {
    return `firmdrop_session_${port}`;
  }

  /** The page itself: a valid ?token= opens a session (set as a cookie); a live session reloads. */
  admit(req: IncomingMessage, url: URL, port: number): Admission {
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!tokensEqual(given, this.opts.token)) {
        return { ok: false, status: 403, message: `The Firmdrop token is wrong: ${REOPEN}.` };
      }
      const current = this.sessionOf(req, port);
      if (current && this.touch(current)) return { ok: true, setCookie: null };
      return { ok: true, setCookie: this.cookieFor(this.open(), port) };
    }
    const access = this.fromCookie(req, port);
    return access.ok ? { ok: true, setCookie: null } : access;
  }

  /** API requests: the token in the header, or a live session cookie. */
  authorize(req: IncomingMessage, port: number): Access {
    const header = req.headers['x-firmdrop-token'];
    const given = Array.isArray(header) ? header[0] : header;
    if (given !== undefined && given !== '') {
      return tokensEqual(given, this.opts.token)
        ? { ok: true, session: null }
        : { ok: false, status: 403, message: `The Firmdrop token is wrong: ${REOPEN}.` };
    }
    return this.fromCookie(req, port);
  }

  /** Whether a session is still live, without counting as use (open event streams ask this). */
  alive(id: string): boolean {
    const seen = this.lastSeen.get(id);
    return seen !== undefined && this.now() - seen <= this.opts.idleMs;
  }

  private fromCookie(req: IncomingMessage, port: number): Access {
    const id = this.sessionOf(req, port);
    if (id === null) {
      return {
        ok: false,
        status: 401,
        message: `This browser has no Firmdrop session: ${REOPEN}.`,
      };
    }
    const known = this.lastSeen.has(id);
    if (!this.touch(id)) {
      return {
        ok: false,
        status: 401,
        message: known
          ? `This Firmdrop session ended after ${describeSpan(this.opts.idleMs)} without use: ${REOPEN} again.`
          : `This Firmdrop session is not known to the running "firmdrop web" (it may be from an earlier run): ${REOPEN}.`,
      };
    }
    return { ok: true, session: id };
  }

  private sessionOf(req: IncomingMessage, port: number): string | null {
    return parseCookies(req.headers.cookie).get(this.cookieName(port)) ?? null;
  }

  /** Marks a live session as used now; false (and forgotten) when it has expired or is unknown. */
  private touch(id: string): boolean {
    if (!this.alive(id)) {
      this.lastSeen.delete(id);
      return false;
    }
    this.lastSeen.set(id, this.now());
    return true;
  }

  private open(): string {
    for (const id of [...this.lastSeen.keys()]) if (!this.alive(id)) this.lastSeen.delete(id);
    const id = randomBytes(32).toString('hex');
    this.lastSeen.set(id, this.now());
    return id;
  }

  private cookieFor(id: string, port: number): string {
    // No Max-Age: the cookie goes when the browser closes; the idle limit is kept here.
    return `${this.cookieName(port)}=${id}; HttpOnly; SameSite=Strict; Path=/`;
  }
}
