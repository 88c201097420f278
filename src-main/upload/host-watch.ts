import { networkProbeDelayMs } from '../core/next-step';
import type { FirmdropError } from '../core/errors';
import { isDmNetworkError } from '../dm/errors';
import type { Clock } from './ports';

/** One host that did not answer, as the engine reports it. */
export interface HostOutage {
  host: string;
  /** The last failure, in a technician's words. */
  reason: string;
  /** When the host is asked again (ms since the epoch); null while a look is under way. */
  nextTryAt: number | null;
  /** The uploads waiting for it. */
  uploadIds: string[];
}

export interface Waiter {
  uploadId: string;
  /** Give up waiting at this time (null: wait as long as it takes). */
  giveUpAt: number | null;
}

export interface HostWatchEvents {
  /** The host answered: these uploads go back into the queue. */
  back(uploadIds: string[]): void;
  /** These uploads waited as long as they were allowed to. */
  gaveUp(uploadIds: string[], lastError: FirmdropError): void;
  changed(): void;
}

/**
 * Reachability is a property of an account's host, not of the app: uploads whose host does not
 * answer wait here, without a queue slot, while uploads to other hosts go on. The watch asks the
 * host (a cheap authenticated GET) with a growing delay and lets every waiting upload go the
 * moment it answers. Any HTTP answer counts: a host that says 401 or 503 is reachable, and the
 * upload's own run then decides what that answer means.
 */
export class HostWatch {
  private readonly waiting = new Map<string, Waiter>();
  private lastError: FirmdropError;
  private nextTryAt: number | null = null;
  private readonly controller = new AbortController();
  private running: Promise<void> | null = null;

  constructor(
    readonly host: string,
    firstError: FirmdropError,
    private readonly probe: (signal: AbortSignal) => Promise<void>,
    private readonly clock: Clock,
    private readonly on: HostWatchEvents,
  ) {
    this.lastError = firstError;
  }

  add(waiter: Waiter, error: FirmdropError): void {
    this.waiting.set(waiter.uploadId, waiter);
    this.lastError = error;
    this.running ??= this.loop().finally(() => (this.running = null));
    this.on.changed();
  }

  /** The user paused, cancelled or said "try now": the upload stops waiting here. */
  remove(uploadId: string): boolean {
    const had = this.waiting.delete(uploadId);
    if (had) this.on.changed();
    return had;
  }

  has(uploadId: string): boolean {
    return this.waiting.has(uploadId);
  }

  get size(): number {
    return this.waiting.size;
  }

  outage(): HostOutage {
    return {
      host: this.host,
      reason: this.lastError.message,
      nextTryAt: this.nextTryAt,
      uploadIds: [...this.waiting.keys()],
    };
  }

  nextTry(): number | null {
    return this.nextTryAt;
  }

  error(): FirmdropError {
    return this.lastError;
  }

  /** Stops asking; the waiting uploads are left to the caller. */
  async close(): Promise<string[]> {
    const ids = [...this.waiting.keys()];
    this.waiting.clear();
    this.controller.abort();
    await this.running?.catch(() => undefined);
    return ids;
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    for (let probes = 0; this.waiting.size > 0 && !signal.aborted; probes++) {
      this.nextTryAt = this.clock.now() + networkProbeDelayMs(probes);
      this.on.changed();
      try {
        await this.clock.sleep(this.nextTryAt - this.clock.now(), signal);
      } catch {
        return; // closed
      }
      this.nextTryAt = null;
      const answered = await this.ask(signal);
      if (signal.aborted) return;
      if (answered) {
        const ids = [...this.waiting.keys()];
        this.waiting.clear();
        this.on.back(ids);
        // Nothing waits here any more: the outage is over, and whoever shows it must hear so.
        this.on.changed();
        return;
      }
      this.giveUpDue();
    }
  }

  private async ask(signal: AbortSignal): Promise<boolean> {
    try {
      await this.probe(signal);
      return true;
    } catch (err) {
      if (!isDmNetworkError(err)) return true; // an answer, even an error, means it is there
      this.lastError = err;
      return false;
    }
  }

  private giveUpDue(): void {
    const now = this.clock.now();
    const due = [...this.waiting.values()].filter((w) => w.giveUpAt !== null && w.giveUpAt <= now);
    // Nothing due: the loop announces the next try at once (told now, it would have none yet).
    if (due.length === 0) return;
    for (const w of due) this.waiting.delete(w.uploadId);
    this.on.gaveUp(
      due.map((w) => w.uploadId),
      this.lastError,
    );
    this.on.changed();
  }
}
