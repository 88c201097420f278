import { setTimeout as sleep } from 'node:timers/promises';

/** What a body reader waits on before it takes `bytes` more (see body.ts and link-shaper.ts). */
export interface Throttle {
  take(bytes: number): Promise<void>;
}

/**
 * One token bucket for every request body the sandbox reads, so the limit behaves like a shared
 * link (the link model's rate: see link-shaper.ts). Takers go into debt and sleep it off, which keeps the long-run rate exact while the
 * reader (see body.ts) holds the request paused: nothing is buffered beyond the socket's own
 * window. The bucket holds at most 50 ms worth of tokens, so bursts stay short.
 */
export class TokenBucket implements Throttle {
  private tokens = 0;
  private last = performance.now();

  constructor(
    private readonly rate: () => number | null,
    private readonly signal?: AbortSignal,
  ) {}

  async take(bytes: number): Promise<void> {
    const rate = this.rate();
    const now = performance.now();
    if (!rate || rate <= 0) {
      this.last = now;
      this.tokens = 0;
      return;
    }
    const burst = Math.max(rate / 20, 1);
    this.tokens = Math.min(burst, this.tokens + ((now - this.last) / 1000) * rate);
    this.last = now;
    this.tokens -= bytes;
    if (this.tokens < 0) await pause((-this.tokens / rate) * 1000, this.signal);
  }
}

/** Sleeps, but wakes early (without an error) when `signal` aborts: a closing sandbox waits for no one. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
