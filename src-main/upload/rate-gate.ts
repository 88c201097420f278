/**
 * A 429 from the service is about the account, not the one request: every upload of that
 * account waits until the Retry-After has passed (uppy's RateLimitedQueue does the same).
 * One gate per account; requests call `wait()` before they go out.
 */
export class RateGate {
  private openAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Closes the gate for `seconds` (never shortens a longer wait already in force). */
  backoff(seconds: number): void {
    this.openAt = Math.max(this.openAt, this.now() + Math.max(0, seconds) * 1000);
  }

  /** Milliseconds until requests may go out again; 0 when open. */
  remainingMs(): number {
    return Math.max(0, this.openAt - this.now());
  }

  async wait(signal?: AbortSignal): Promise<void> {
    for (let ms = this.remainingMs(); ms > 0; ms = this.remainingMs()) {
      await sleep(ms, signal);
    }
  }
}

/** A timer that ends early (rejecting with the signal's reason) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class RateGates {
  private readonly gates = new Map<string, RateGate>();

  constructor(private readonly now: () => number = Date.now) {}

  for(accountId: string): RateGate {
    let gate = this.gates.get(accountId);
    if (!gate) {
      gate = new RateGate(this.now);
      this.gates.set(accountId, gate);
    }
    return gate;
  }
}
