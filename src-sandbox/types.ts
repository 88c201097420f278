/** The sandbox's public API types (re-exported by index.ts; other parts of Firmdrop depend on them). */

import type { TlsVersion } from './link-model';

export type { TlsVersion } from './link-model';

export interface SandboxAccountSpec {
  key: string;
  tier: '0' | '1' | '2';
  id?: string;
  name?: string;
}

/** Options of the service alone (./service.ts). */
export interface ServiceOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default: a fresh temporary directory, removed on close. */
  dataDir?: string;
  /**
   * Default: the accounts saved in `dataDir` by an earlier run, else one free account with a
   * generated key. An account keeps its id across runs (matched by key).
   */
  accounts?: SandboxAccountSpec[];
  /**
   * Serve HTTPS with a fresh self-signed certificate for 127.0.0.1, written to the data folder
   * (`SandboxService.caCertPath`). Default: plain HTTP.
   */
  tls?: boolean;
  /** Pins the TLS version (its handshake costs 1 or 2 round trips in the link model). Needs `tls`. */
  tlsVersion?: TlsVersion;
}

/** Options of the sandbox with its control layer (./index.ts). */
export interface SandboxOptions extends ServiceOptions {
  /** The link model (docs/benchmarks.md): the round-trip time, paid once per request. */
  latencyMs?: number;
  /** The link model's rate, shared by all connections. */
  bandwidthBytesPerSec?: number;
}

export type FaultMatcher = { method?: string; path?: string | RegExp; times?: number };

export type FaultSpec = FaultMatcher &
  (
    | { kind: 'status'; status: number; retryAfterSeconds?: number }
    | { kind: 'reset'; afterBytes: number }
    | { kind: 'append-then-drop' }
    | { kind: 'delay'; ms: number }
    /**
     * A read of one upload job (GET …/upload-jobs/{id}) shows a completed job as the service may
     * while it is still settling: `completion`, not completed yet (status in_progress, no image);
     * `image`, completed but naming no firmware image yet. Only such GETs take it; a job that is
     * not completed reads as it is (the fault is still used up).
     */
    | { kind: 'job-lag'; lag: 'completion' | 'image' }
  );

export type FaultKind = FaultSpec['kind'];

export interface SandboxStats {
  /** API and download requests (admin calls excluded). */
  requests: number;
  /** Bytes of chunk bodies read and written in place, whether or not their chunk was appended. */
  bytesReceived: number;
  /** POSTs to a chunks endpoint, whatever their outcome. */
  chunkPosts: number;
  /** Data chunks appended (not counting the completing zero-length chunk). */
  chunksAppended: number;
  bytesAppended: number;
  jobsCompleted: number;
  imagesCreated: number;
  /** Faults that fired, by kind. */
  faultsFired: Record<FaultKind, number>;
  /** Responses sent, by status code. */
  responses: Record<string, number>;
  link: LinkStats;
}

/** What the link model charged (see link-shaper.ts), summed over all requests. */
export interface LinkStats {
  /** Connections accepted, admin calls' included (TLS ones once their real handshake is done). */
  connections: number;
  /** Time first requests waited for their connection's modelled handshake. */
  handshakeWaitMs: number;
  /** One round trip per request. */
  roundTripWaitMs: number;
  /** Time bodies waited for their connection's window to open. */
  slowStartWaitMs: number;
}

/** The counts a test can wait on: API and download requests, chunk-body bytes, chunks appended. */
export type ArrivalCount = 'requests' | 'bytesReceived' | 'chunksAppended';

/** One API request as the sandbox saw it (admin calls are not logged). */
export interface SandboxRequestRecord {
  /** 1, 2, 3… in order of arrival. */
  seq: number;
  method: string;
  /** The URL path as sent (trailing slash kept). */
  path: string;
  /** The query parameters (the last value of a repeated one). */
  query: Record<string, string>;
  /**
   * Positions on one counter shared by arrivals and answers: a request was in flight together
   * with another when each arrived before the other was answered. Null while in flight.
   */
  arrived: number;
  answered: number | null;
  /**
   * Wall-clock times (ms since the epoch) of the same two moments, for benchmarks in another
   * process (e.g. spawn of a client → its first chunk POST). Tests order by the positions above.
   */
  arrivedAtMs: number;
  answeredAtMs: number | null;
}

export interface SandboxFaults {
  inject(f: FaultSpec): void;
  /** Removes pending faults and restores the latency and bandwidth given to startSandbox. */
  clear(): void;
  setLatency(ms: number): void;
  setBandwidth(bytesPerSec: number | null): void;
  /** How many more times pending faults will fire, summed. */
  pending(): number;
}

/** A running sandbox service. */
export interface SandboxService {
  /** 'http://127.0.0.1:PORT' ('https://' with `tls`), no trailing slash. */
  url: string;
  /** With `tls`: the certificate to trust (PEM file in the data folder, and its text). */
  caCertPath: string | null;
  caCertPem: string | null;
  /** Pins the TLS version of new connections (null: the best both sides have). Needs `tls`. */
  setTlsVersion(version: TlsVersion | null): void;
  accounts: Array<Required<SandboxAccountSpec>>;
  dataDir: string;
  stats(): SandboxStats;
  /**
   * Resolves once every request in progress at the call has ended (answered, refused or cut
   * off). A killed client's last request can still be arriving after its process is gone (the
   * kernel sends what it had buffered); tests wait for it before asking what the server holds.
   */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** A running sandbox with its control layer. */
export interface Sandbox extends SandboxService {
  /** Send as `X-Sandbox-Admin` to the admin endpoints under /__sandbox/. */
  adminToken: string;
  faults: SandboxFaults;
  /**
   * Resolves once `count` has reached `atLeast` since the start (its value is in `stats()`): a
   * client can be stopped at a position of its upload, whatever the timing of the run.
   */
  when(count: ArrivalCount, atLeast: number): Promise<void>;
  /** API requests in order of arrival, with when (in order) each was answered. */
  requests(): SandboxRequestRecord[];
  /** Empties the request log (stats are kept). */
  clearRequests(): void;
}
