/** How many recent answers the estimate looks at: a changed link shows within a few requests. */
const KEEP = 8;

/**
 * The link's round trip, as the clients of one host's connections see it: the shortest of the last few answered requests
 * that carried no body (a GET, a DELETE, a JSON POST). Each of those is one round trip plus the
 * service's own time; the shortest is the one with the least of everything else (a handshake on
 * a new connection, a busy service). The engine sizes its first chunk by it (core/chunk-plan.ts).
 */
export class RoundTrips {
  private readonly recent: number[] = [];

  /**
   * One answered request without a body took `ms` from dispatch to its answer's end. When a
   * connection was opened meanwhile, it may have waited for that connection's handshake
   * (`handshakeTrips` more round trips: 1 for TCP, 2 with TLS 1.3), so it counts as
   * `ms / (1 + handshakeTrips)`: a request that did not wait comes out short, which only makes
   * the first chunk smaller, never slower to start. Through a proxy no connection is seen
   * opening (the proxy agent makes its own), so the estimate there keeps the handshakes: the
   * first chunk's cap (core/chunk-plan.ts FIRST_CHUNK_MAX) bounds what that costs.
   */
  answered(ms: number, handshakeTrips = 0): void {
    if (!(ms >= 0)) return;
    this.recent.push(ms / (1 + handshakeTrips));
    if (this.recent.length > KEEP) this.recent.shift();
  }

  /** Milliseconds, or null before any answer. */
  estimate(): number | null {
    return this.recent.length === 0 ? null : Math.min(...this.recent);
  }
}
