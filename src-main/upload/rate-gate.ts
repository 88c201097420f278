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
