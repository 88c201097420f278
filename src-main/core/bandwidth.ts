/**
 * The arithmetic of the upload bandwidth cap, as a token bucket over an injected clock: bytes may
 * go when the bucket holds them; it refills at `rate` bytes per second up to `burst`. Over any
 * span T at most rate × T + burst bytes pass, so with a small burst the cap holds within a
 * fraction of a percent over half a minute. Pure: the engine's limiter does the waiting.
 */
export interface Bucket {
  /** Bytes available at `at` (negative: owed, after a block larger than the burst). */
  tokens: number;
  at: number;
}

export interface BucketTake {
  bucket: Bucket;
  /** How long to wait before sending the bytes just taken. */
  waitMs: number;
}

/** A bucket that starts empty at `now`: the first bytes wait their turn like all others. */
export function emptyBucket(now: number): Bucket {
  return { tokens: 0, at: now };
}

/** Takes `bytes` from the bucket at `now`; the bytes may go after `waitMs`. */
export function takeTokens(
  bucket: Bucket,
  bytes: number,
  now: number,
  rate: number,
  burst: number,
): BucketTake {
  // A clock that went back refills nothing (and takes nothing back).
  const elapsed = Math.max(0, now - bucket.at);
  const tokens = Math.min(burst, bucket.tokens + (elapsed * rate) / 1000) - bytes;
  const at = Math.max(now, bucket.at);
  return { bucket: { tokens, at }, waitMs: tokens >= 0 ? 0 : (-tokens * 1000) / rate };
}

/** The burst for a rate: a tenth of a second of it, at least one 64 KiB block. */
export function burstFor(rate: number): number {
  return Math.max(64 * 1024, rate / 10);
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/**
 * "10M", "500K", "2.5M", "1G" or "1048576" as bytes per second (1024-based units, as curl's
 * --limit-rate). Returns null when the text is not such a rate or is not above 0.
 */
export function parseRate(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?(?:\/s)?\s*$/iu.exec(text);
  if (!m) return null;
  const value = Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? NaN);
  if (!Number.isFinite(value) || value < 1) return null;
  return Math.floor(value);
}
