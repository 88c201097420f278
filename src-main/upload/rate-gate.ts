import { burstFor, emptyBucket, takeTokens, type Bucket } from '../core/bandwidth';
import type { Clock } from './ports';

/**
 * A 429 from the service is about the account, not the one request: every upload of that
 * account waits until the Retry-After has passed (uppy's RateLimitedQueue does the same).
 * One gate per account; requests call `wait()` before they go out.
 */
export class RateGate {
  private openAt = 0;

  constructor(private readonly clock: Clock) {}

  /** Closes the gate for `seconds` (never shortens a longer wait already in force). */
  backoff(seconds: number): void {
    this.openAt = Math.max(this.openAt, this.clock.now() + Math.max(0, seconds) * 1000);
  }

  /** Milliseconds until requests may go out again; 0 when open. */
  remainingMs(): number {
    return Math.max(0, this.openAt - this.clock.now());
  }

  async wait(signal?: AbortSignal): Promise<void> {
    for (let ms = this.remainingMs(); ms > 0; ms = this.remainingMs()) {
      await this.clock.sleep(ms, signal);
    }
  }
}

export class RateGates {
  private readonly gates = new Map<string, RateGate>();

  constructor(private readonly clock: Clock) {}

  for(accountId: string): RateGate {
    let gate = this.gates.get(accountId);
    if (!gate) {
      gate = new RateGate(this.clock);
      this.gates.set(accountId, gate);
    }
    return gate;
  }
}

/**
 * The upload bandwidth cap (`--limit-rate`, the setting): one per engine, so all its uploads
 * together stay under it and a site's shared link is not flooded. Body bytes take tokens before
 * they are handed to the socket; the arithmetic is core/bandwidth.ts. A rate of null lets
 * everything through at once.
 */
export class BandwidthLimiter {
  private bucket: Bucket;

  constructor(
    private readonly clock: Clock,
    private rate: number | null,
  ) {
    this.bucket = emptyBucket(clock.now());
  }

  /** Changes the cap (settings changed); bytes already let through stay counted. */
  setRate(rate: number | null): void {
    if (rate === this.rate) return;
    this.rate = rate;
    this.bucket = emptyBucket(this.clock.now());
  }

  get limited(): boolean {
    return this.rate !== null;
  }

  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    const rate = this.rate;
    if (rate === null) return;
    const { bucket, waitMs } = takeTokens(
      this.bucket,
      bytes,
      this.clock.now(),
      rate,
      burstFor(rate),
    );
    this.bucket = bucket;
    if (waitMs > 0) await this.clock.sleep(Math.ceil(waitMs), signal);
  }
}
