/**
 * How a file is cut into upload-job chunks, and which upload path a file takes.
 * The service checks the 5 MiB minimum only when the job completes (the guide: S3 reports the
 * failure "until the last packet"), so a wrong plan would waste the whole upload: we enforce it here.
 */
import { FirmdropError } from './errors';
import { formatCount } from './format';
import { MAX_REQUEST, MAX_SMALL_FILE, MiB, MIN_CHUNK } from './limits';

export interface PlannedChunk {
  /** 1-based, equal to the chunk id the service will give this chunk when appended in order. */
  index: number;
  offset: number;
  length: number;
}

export type UploadPath = 'small' | 'job';

/** Why a chunk size is unusable, or null when it is fine; shared with as-you-type validation. */
export function chunkSizeProblem(chunkSize: number): string | null {
  const range = `${sizeText(MIN_CHUNK)} to ${sizeText(MAX_REQUEST)}`;
  if (!Number.isSafeInteger(chunkSize)) {
    return `Chunk size must be a whole number of bytes from ${range}.`;
  }
  if (chunkSize < MIN_CHUNK || chunkSize > MAX_REQUEST) {
    return `Chunk size is ${sizeText(chunkSize)}; the service needs chunks of ${range}. Choose a size in that range.`;
  }
  return null;
}

// Exact when it matters: 5 MiB minus one byte must not read as "5.0 MiB".
function sizeText(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${formatCount(bytes)} bytes`;
}

/** Throws unless fileSize is a positive whole number: an empty file can be neither posted nor completed. */
export function assertUploadableSize(fileSize: number): void {
  if (!Number.isSafeInteger(fileSize) || fileSize < 0) {
    throw new FirmdropError('internal', `File size ${fileSize} is not a byte count.`);
  }
  if (fileSize === 0) {
    // Guide: "You can't complete an upload that has no data. The first chunk … can't be of length zero."
    throw new FirmdropError(
      'file-empty',
      'The file is empty (0 bytes); the service does not accept empty images. Choose the built firmware file.',
    );
  }
}

/** Cuts fileSize bytes into chunkSize pieces in file order; only the last may be shorter (even tiny). */
export function planChunks(fileSize: number, chunkSize: number): PlannedChunk[] {
  const problem = chunkSizeProblem(chunkSize);
  if (problem !== null) throw new FirmdropError('invalid-input', problem);
  assertUploadableSize(fileSize);
  const chunks: PlannedChunk[] = [];
  for (let offset = 0, index = 1; offset < fileSize; offset += chunkSize, index += 1) {
    chunks.push({ index, offset, length: Math.min(chunkSize, fileSize - offset) });
  }
  return chunks;
}

/**
 * The single multipart POST is used only when the file is at most the (clamped) threshold and the
 * whole request, envelope included, stays within 100 MiB; everything else goes through a job.
 * A threshold of 0 means "always use a resumable job".
 */
export function choosePath(fileSize: number, smallThreshold: number): UploadPath {
  assertUploadableSize(fileSize);
  // Infinity is allowed ("as large as the service permits") and clamps like any other large value.
  if (Number.isNaN(smallThreshold)) {
    throw new FirmdropError('invalid-input', 'The small-file threshold must be a number of bytes.');
  }
  const limit = Math.min(Math.max(smallThreshold, 0), MAX_SMALL_FILE);
  return fileSize <= limit ? 'small' : 'job';
}

/** What the adaptive sizer knows after the chunks sent so far (all measured by the engine). */
export interface ChunkSizingInput {
  /** The size of the chunk sent last (or planned last); null before the first. */
  current: number | null;
  /** Bytes per second while the last chunk's body was going out; null when not measured yet. */
  wireRate: number | null;
  /** Milliseconds from the last body byte handed to the socket to the answer: the idle round trip. */
  idleMs: number | null;
  /** Failed attempts in a row since the last acknowledged chunk. */
  failures: number;
  /**
   * Chunks of this run planned so far (0 for the first). Optional: absent counts as "some", so
   * a caller that does not say keeps the size until something is measured.
   */
  planned?: number;
  /**
   * The link's round trip as the client measured it on its requests so far (the pre-flight's),
   * in ms; null or absent when unknown. Sizes the first chunk only.
   */
  roundTripMs?: number | null;
}

/** Where an adaptive upload starts when nothing is known: the service's minimum. */
export const ADAPTIVE_START = MIN_CHUNK;
/**
 * What the first chunk's hash (its MD5, and the file's SHA-256 alongside) is assumed to run at,
 * bytes per second: one core of an older laptop without SHA extensions. This machine does 560
 * MiB/s; a slower one only makes the first POST wait a little past the create's answer.
 */
export const FIRST_HASH_RATE = 200 * MiB;

// Growth per chunk is bounded: one odd measurement (a stall, a burst into the socket buffer)
// must not jump straight to 100 MiB, and four doublings still reach it from 5 MiB.
const MAX_GROWTH = 4;
/**
 * The largest first chunk: what one measured growth would reach from the minimum. The round trip
 * says nothing of the link's rate, and a slow link must not start with a chunk that takes
 * minutes to send (or to resend after a failure).
 */
export const FIRST_CHUNK_MAX = ADAPTIVE_START * MAX_GROWTH;
/**
 * A chunk carries at most this many seconds of the measured link: on a slow link (a cellular
 * modem, a `--limit-rate`) a failure then resends at most this much, even when the idle round
 * trip would ask for bigger chunks.
 */
export const MAX_CHUNK_SECONDS = 30;

/**
 * The first chunk of an adaptive upload. Its hash runs while the job is created, and the first
 * POST waits for both, so a chunk that hashes within one round trip costs no latency at all: on a
 * long link it starts as large as that (20 MiB from 100 ms on), which saves the chunks, and their
 * idle round trips, of growing from the minimum. On a short link, or before anything is
 * measured, it is the service's minimum, so the first byte goes out soon.
 */
export function firstChunkSize(roundTripMs: number | null | undefined): number {
  if (roundTripMs == null || !(roundTripMs > 0)) return ADAPTIVE_START;
  const hashable = Math.floor((FIRST_HASH_RATE * roundTripMs) / 1000 / MiB) * MiB;
  return Math.min(FIRST_CHUNK_MAX, Math.max(ADAPTIVE_START, hashable));
}
/**
 * The share of a chunk's time the idle round trip may cost before the next chunk grows. At 2 %
 * a chunk must carry 49 round trips' worth of the link: 40 MiB/s × 100 ms wants 196 MiB, which
 * the 100 MiB limit caps (3.8 %); 40 MiB/s × 20 ms wants 39 MiB.
 */
export const IDLE_SHARE_TARGET = 0.02;

/**
 * The size of the next data chunk when the user fixed none. Grows while the measured idle round
 * trip costs more than IDLE_SHARE_TARGET of a chunk's time; halves per failure in a row, so a
 * flaky link resends little; never carries more than MAX_CHUNK_SECONDS of the measured link, so
 * a slow one comes down to that; else never shrinks on a good link (a bigger chunk only costs
 * on failure). Whole MiB within the service's 5–100 MiB.
 */
export function nextChunkSize(input: ChunkSizingInput): number {
  const clamp = (n: number) => Math.min(MAX_REQUEST, Math.max(MIN_CHUNK, Math.ceil(n / MiB) * MiB));
  if (input.current === null && input.failures === 0) return firstChunkSize(input.roundTripMs);
  const current = input.current ?? ADAPTIVE_START;
  if (input.failures > 0) return clamp(current / 2 ** Math.min(input.failures, 8));
  const { wireRate, idleMs } = input;
  if (wireRate === null || idleMs === null || !(wireRate > 0) || !(idleMs >= 0)) {
    // The second chunk is planned before the first has been measured (it is hashed while the
    // first is on the wire). The first was small only so that its hash, which the first POST
    // waits for, is short; the second's hash is off that path, so it grows as far as one
    // measurement may grow it: a long link then reaches its size one round trip sooner.
    if (input.planned === 1) return clamp(current * MAX_GROWTH);
    return clamp(current);
  }
  const idleBytes = (wireRate * idleMs) / 1000;
  // What the link carries in MAX_CHUNK_SECONDS: the most a failure should cost to resend.
  const longest = wireRate * MAX_CHUNK_SECONDS;
  const share = idleBytes / (current + idleBytes);
  if (share <= IDLE_SHARE_TARGET) return clamp(Math.min(current, longest));
  const wanted = (idleBytes * (1 - IDLE_SHARE_TARGET)) / IDLE_SHARE_TARGET;
  return clamp(Math.min(wanted, current * MAX_GROWTH, Math.max(longest, current)));
}

/**
 * The next chunk's length at `offset`: the wanted size, or what is left of the file. The last
 * chunk may be of any length, so no look-ahead is needed for the 5 MiB minimum.
 */
export function chunkAt(offset: number, fileSize: number, size: number): number {
  return Math.max(0, Math.min(size, fileSize - offset));
}

/**
 * "Chunk k of n" while sizes still change: the chunks sent, this one, and the rest at the size
 * planned next. `estimated` says n may still move (adaptive sizes), so the UI can say "about".
 */
export function chunkCountEstimate(
  current: { index: number; offset: number; length: number },
  fileSize: number,
  nextSize: number,
): number {
  const rest = Math.max(0, fileSize - current.offset - current.length);
  return current.index + Math.ceil(rest / Math.max(nextSize, 1));
}
