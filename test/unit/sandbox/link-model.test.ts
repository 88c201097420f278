import { describe, expect, it } from 'vitest';
import {
  freshWindow,
  handshakeRoundTrips,
  INITIAL_WINDOW_BYTES,
  requestLowerBoundMs,
  sendThroughWindow,
  slowStartDelayMs,
  windowCapBytes,
} from '../../../src-sandbox/link-model';

const MiB = 2 ** 20;

describe('link model arithmetic', () => {
  it('charges 1 round trip for TCP, +1 for TLS 1.3 and +2 for TLS 1.2', () => {
    expect(handshakeRoundTrips(null)).toBe(1);
    expect(handshakeRoundTrips('1.3')).toBe(2);
    expect(handshakeRoundTrips('1.2')).toBe(3);
  });

  it('caps the window at twice the bandwidth-delay product, never below the initial window', () => {
    expect(INITIAL_WINDOW_BYTES).toBe(14_600);
    expect(windowCapBytes(40 * MiB, 100)).toBe(2 * 40 * MiB * 0.1);
    expect(windowCapBytes(1000, 1)).toBe(INITIAL_WINDOW_BYTES);
    expect(windowCapBytes(null, 100)).toBe(Number.POSITIVE_INFINITY);
  });

  it('lets a fresh connection send its initial window at once, and doubles it every round trip', () => {
    const cap = Number.POSITIVE_INFINITY;
    const first = sendThroughWindow(freshWindow(), 14_600, 1000, 100, cap);
    expect(first.at).toBe(1000);
    // The next byte waits for the round trip; the window is now 2 × 14 600.
    const second = sendThroughWindow(first.state, 1, 1000, 100, cap);
    expect(second.at).toBe(1100);
    expect(second.state.cwnd).toBe(29_200);
    // 14 600 × (1 + 2 + 4 + 8) bytes fit in four rounds: the last goes out 3 RTTs in.
    expect(slowStartDelayMs(14_600 * 15, 100, cap)).toBe(300);
    expect(slowStartDelayMs(14_600 * 15 + 1, 100, cap)).toBe(400);
  });

  it('stops doubling at the cap', () => {
    const cap = 50_000;
    let s = freshWindow();
    for (let t = 0; t < 1000; t += 100) s = sendThroughWindow(s, 60_000, t, 100, cap).state;
    expect(s.cwnd).toBe(cap);
  });

  it('keeps the window of a connection that was idle (kept alive)', () => {
    const cap = Number.POSITIVE_INFINITY;
    const busy = sendThroughWindow(freshWindow(), 14_600 * 7, 0, 100, cap); // three full rounds
    expect(busy.at).toBe(200);
    expect(busy.state.cwnd).toBe(58_400);
    // Ten seconds later the window is still 58 400, grown by the last full round to 116 800.
    const later = sendThroughWindow(busy.state, 100_000, 10_000, 100, cap);
    expect(later.at).toBe(10_000);
    expect(later.state.cwnd).toBe(116_800);
  });

  it('grows only by what an application-limited round actually sent', () => {
    const cap = Number.POSITIVE_INFINITY;
    const small = sendThroughWindow(freshWindow(), 1000, 0, 100, cap);
    const next = sendThroughWindow(small.state, 1, 500, 100, cap);
    expect(next.state.cwnd).toBe(14_600 + 1000);
  });

  it('costs nothing without a round-trip time', () => {
    expect(slowStartDelayMs(1e9, 0, Number.POSITIVE_INFINITY)).toBe(0);
  });

  it('bounds a request from below: handshake, round trip, then slow start or the rate', () => {
    const base = { bodyBytes: 0, rttMs: 100, rateBytesPerSec: 40 * MiB, tls: '1.3' as const };
    expect(requestLowerBoundMs({ ...base, newConnection: true })).toBe(300);
    expect(requestLowerBoundMs({ ...base, newConnection: false })).toBe(100);
    // 6 MiB on a new connection: slow start needs 9 rounds (14 600 × 511 ≥ 6 MiB) = 800 ms of
    // waits, more than the 150 ms the rate needs.
    expect(requestLowerBoundMs({ ...base, bodyBytes: 6 * MiB, newConnection: true })).toBe(
      300 + 800,
    );
    // On a warm connection the rate is the bound: 6 MiB at 40 MiB/s.
    expect(requestLowerBoundMs({ ...base, bodyBytes: 6 * MiB, newConnection: false })).toBe(
      100 + 150,
    );
  });
});
