import type { Disposable } from '../../src-main/core/event';
import type { Clock } from '../../src-main/upload/ports';

interface Ticker {
  everyMs: number;
  nextAt: number;
  fn: () => void;
}

interface Held {
  wake: () => void;
}

/**
 * Virtual time for the engine. `sleep(ms)` does not wait: on the next turn of the event loop it
 * moves `now` to (at least) the moment the sleep began plus `ms` and resolves, so a backoff of
 * 30 s costs no real time. Sleeps that overlap (a run's backoff beside a host watch's probe
 * delay) end at their own deadlines, never adding up. `every()` fires once for each multiple of
 * its period that virtual time passes. Every requested sleep is recorded, in order, so a test
 * can assert the schedule. Real I/O (HTTP, SQLite, files) still takes real time.
 *
 * `hold()` freezes time: sleeps begun while held resolve only after `release()`, so a test can
 * look at the world while something waits (an upload parked for its host, say).
 */
export class FakeClock implements Clock {
  /** Every sleep asked for, in ms, in the order asked. */
  readonly sleeps: number[] = [];
  private t: number;
  private readonly start: number;
  private readonly tickers = new Set<Ticker>();
  private held: Held[] | null = null;

  constructor(startMs = Math.floor(Date.now())) {
    this.t = startMs;
    this.start = startMs;
  }

  now(): number {
    return this.t;
  }

  /** Virtual ms since the clock was made. */
  elapsed(): number {
    return this.t - this.start;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    const until = this.t + Math.max(0, ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let settled = false;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const wake = (): void => {
        setImmediate(() => {
          signal?.removeEventListener('abort', onAbort);
          if (settled) return;
          settled = true;
          if (signal?.aborted) return reject(signal.reason);
          this.advanceTo(until);
          resolve();
        });
      };
      if (this.held) this.held.push({ wake });
      else wake();
    });
  }

  every(ms: number, fn: () => void): Disposable {
    if (!(ms > 0)) throw new RangeError(`every() needs a period > 0 ms, got ${ms}`);
    const ticker: Ticker = { everyMs: ms, nextAt: this.t + ms, fn };
    this.tickers.add(ticker);
    return { dispose: () => void this.tickers.delete(ticker) };
  }

  /** Moves virtual time forward by `ms` (firing the tickers it passes), without a sleep. */
  advance(ms: number): void {
    this.advanceTo(this.t + Math.max(0, ms));
  }

  /** Sleeps begun from now on wait until release(). */
  hold(): void {
    this.held ??= [];
  }

  /** Lets every held sleep end, and later ones end at once again. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const h of held) h.wake();
  }

  /** How many sleeps are waiting for release(). */
  get heldCount(): number {
    return this.held?.length ?? 0;
  }

  private advanceTo(until: number): void {
    if (until <= this.t) return;
    this.t = until;
    for (const ticker of [...this.tickers]) {
      while (this.tickers.has(ticker) && ticker.nextAt <= this.t) {
        ticker.nextAt += ticker.everyMs;
        ticker.fn();
      }
    }
  }
}
