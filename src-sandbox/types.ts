/** The sandbox's public API types (re-exported by index.ts; other parts of Firmdrop depend on them). */

export interface SandboxAccountSpec {
  key: string;
  tier: '0' | '1' | '2';
  id?: string;
  name?: string;
}

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default: a fresh temporary directory, removed on close. */
  dataDir?: string;
  /**
   * Default: the accounts saved in `dataDir` by an earlier run, else one free account with a
   * generated key. An account keeps its id across runs (matched by key).
   */
  accounts?: SandboxAccountSpec[];
  latencyMs?: number;
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
}

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

export interface Sandbox {
  /** 'http://127.0.0.1:PORT', no trailing slash. */
  url: string;
  /** Send as `X-Sandbox-Admin` to the admin endpoints under /__sandbox/. */
  adminToken: string;
  accounts: Array<Required<SandboxAccountSpec>>;
  dataDir: string;
  faults: SandboxFaults;
  stats(): SandboxStats;
  /** API requests in order of arrival, with when (in order) each was answered. */
  requests(): SandboxRequestRecord[];
  /** Empties the request log (stats are kept). */
  clearRequests(): void;
  /**
   * Resolves once every request in progress at the call has ended (answered, refused or cut
   * off). A killed client's last request can still be arriving after its process is gone (the
   * kernel sends what it had buffered); tests wait for it before asking what the server holds.
   */
  settled(): Promise<void>;
  close(): Promise<void>;
}
