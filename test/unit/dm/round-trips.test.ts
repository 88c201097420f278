import { describe, expect, it } from 'vitest';
import { RoundTrips } from '../../../src-main/dm/round-trips';

describe("a client's round-trip estimate", () => {
  it('is unknown before an answer, then the shortest of the recent ones', () => {
    const trips = new RoundTrips();
    expect(trips.estimate()).toBeNull();
    // The first request paid the handshakes; the pre-flight's on warm connections did not.
    for (const ms of [310, 104, 101, 103]) trips.answered(ms);
    expect(trips.estimate()).toBe(101);
  });

  it('takes out the handshake of a connection opened meanwhile', () => {
    const trips = new RoundTrips();
    // accounts/me over TLS on a new connection: TCP, TLS 1.3 and the request, 3 × 100 ms.
    trips.answered(303, 2);
    expect(trips.estimate()).toBe(101);
    // The same request on a kept-alive connection.
    trips.answered(104, 0);
    expect(trips.estimate()).toBe(101);
  });

  it('follows a link that changed: old answers age out', () => {
    const trips = new RoundTrips();
    trips.answered(20);
    for (let i = 0; i < 8; i++) trips.answered(150 + i);
    expect(trips.estimate()).toBe(150);
  });
});
