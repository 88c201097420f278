import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Counter } from './counter';
import type { KeyedMutex } from './mutex';
import type { RequestLog } from './request-log';
import type { AccountRecord } from './records';
import type { SandboxStore } from './sandbox-store';
import type { TlsVersion } from './link-model';
import type { LinkShaper } from './link-shaper';
import type { Throttle } from './throttle';
import type { ArrivalCount, SandboxStats } from './types';

/** Everything a handler may reach: one per running sandbox. */
export interface SandboxState {
  url: string;
  store: SandboxStore;
  /**
   * The link model: handshake, round trip, window and rate (see link-shaper.ts). A no-op unless
   * the control layer sets a round trip or a rate.
   */
  link: LinkShaper;
  stats: SandboxStats;
  /** What has arrived so far, for waits on a position (stats keep the same numbers). */
  arrivals: Record<ArrivalCount, Counter>;
  /** Arrival and answer order of API requests, for tests. */
  log: RequestLog;
  accounts: AccountRecord[];
  /** The pinned TLS version (null: unpinned, or a plain HTTP sandbox) and how to change it. */
  tlsVersion: TlsVersion | null;
  setTlsVersion: (version: TlsVersion | null) => void;
  /** Held while a chunk of the job is written or the job completes: appends never interleave. */
  jobLocks: KeyedMutex;
}

/** One request as handlers see it. */
export interface Ctx {
  state: SandboxState;
  req: IncomingMessage;
  method: string;
  /** The URL path without its trailing slash: both spellings reach the same route. */
  path: string;
  /** The path as sent, trailing slash and all: what fault matchers see. */
  rawPath: string;
  query: URLSearchParams;
  /** The route's captured path segments. */
  params: string[];
  requestId: string;
  /** Request bodies are read through it: this connection's window, then the shared rate. */
  throttle: Throttle;
}

/** The authenticated account of an API request. */
export interface ApiCtx extends Ctx {
  account: AccountRecord;
}

export type Reply =
  | { status: number; headers?: Record<string, string>; json?: unknown }
  | {
      status: number;
      headers: Record<string, string>;
      /** Opened only when the body is actually sent. */
      stream: () => Readable;
      headOnly: boolean;
    };

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, json: body, headers };
}

/** 201 with the new resource's URL in Location and Content-Location, as the service answers. */
export function created(body: unknown, location: string): Reply {
  return json(201, body, { Location: location, 'Content-Location': location });
}
