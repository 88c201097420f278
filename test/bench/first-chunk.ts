import type { SandboxRequestRecord } from '../../src-sandbox';

/** When one client run's first chunk went out, read from the sandbox's request log. */
export interface FirstChunk {
  /** Spawn → the first request reaching the sandbox: Node's start-up and the CLI's own start. */
  firstRequestMs: number;
  /** Spawn → the first chunk POST reaching the sandbox (its first body byte follows at once). */
  fromSpawnMs: number;
  /**
   * The last pre-flight answer (the last answer before the job create arrived) → the first chunk
   * POST: the engine's start of the upload (create the job, hash chunk 1) as the link sees it.
   */
  fromPreflightMs: number;
  /** API requests before the first chunk POST. */
  requestsBefore: number;
}

const CREATE = /\/upload-jobs\/?$/;
const CHUNKS = /\/upload-jobs\/[^/]+\/chunks\/?$/;

/**
 * The first-chunk timing of the run that started at `spawnedAtMs` (wall clock), from the log's
 * records after sequence number `afterSeq`. Null when the run posted no chunk (or no create).
 */
export function firstChunkTiming(
  log: readonly SandboxRequestRecord[],
  spawnedAtMs: number,
  afterSeq: number,
): FirstChunk | null {
  const run = log.filter((r) => r.seq > afterSeq);
  const chunkAt = run.findIndex((r) => r.method === 'POST' && CHUNKS.test(r.path));
  const create = run.find((r) => r.method === 'POST' && CREATE.test(r.path));
  const first = run[0];
  const chunk = run[chunkAt];
  if (!first || !chunk || !create) return null;
  const before = run.filter((r) => r.arrived < create.arrived && r.answeredAtMs !== null);
  const preflightEnd = Math.max(...before.map((r) => r.answeredAtMs as number), spawnedAtMs);
  return {
    firstRequestMs: first.arrivedAtMs - spawnedAtMs,
    fromSpawnMs: chunk.arrivedAtMs - spawnedAtMs,
    fromPreflightMs: chunk.arrivedAtMs - preflightEnd,
    requestsBefore: chunkAt,
  };
}
