/**
 * The arithmetic of the sandbox's WAN model (pure: no sockets, no timers). A modelled link has a
 * round-trip time and a rate; a connection over it pays its handshake once, then grows its
 * congestion window by slow start and keeps it while it stays open. See docs/benchmarks.md
 * ("The link model") for what this leaves out.
 */

/** A TCP segment's payload on an Ethernet path (1500 MTU − IP and TCP headers). */
export const SEGMENT_BYTES = 1460;
/** Linux's initial congestion window, 10 segments (RFC 6928). */
export const INITIAL_WINDOW_BYTES = 10 * SEGMENT_BYTES;

export type TlsVersion = '1.2' | '1.3';

/**
 * Round trips before a new connection can carry its first request: one for TCP's SYN/SYN-ACK,
 * then TLS 1.3's one (ClientHello → ServerHello…Finished) or TLS 1.2's two.
 */
export function handshakeRoundTrips(tls: TlsVersion | null): number {
  if (tls === null) return 1;
  return tls === '1.3' ? 2 : 3;
}

/**
 * The largest window slow start reaches: twice the bandwidth-delay product, where a real sender
 * would have filled the bottleneck's queue and left slow start. No rate: no cap.
 */
export function windowCapBytes(rateBytesPerSec: number | null, rttMs: number): number {
  if (rateBytesPerSec === null) return Number.POSITIVE_INFINITY;
  return Math.max(INITIAL_WINDOW_BYTES, (2 * rateBytesPerSec * rttMs) / 1000);
}

/** One connection's congestion state. Times are milliseconds on any monotonic clock. */
export interface WindowState {
  /** Bytes the connection may have in flight per round trip. */
  cwnd: number;
  /** When the current round trip began (its first byte went out), or null before any. */
  roundStart: number | null;
  /** Bytes sent in the current round trip. */
  roundBytes: number;
}

export const freshWindow = (): WindowState => ({
  cwnd: INITIAL_WINDOW_BYTES,
  roundStart: null,
  roundBytes: 0,
});

/**
 * Sends `bytes` at `now` (or as soon as the window allows) over a connection whose round trip
 * lasts `rttMs`: the bytes fill what is left of the current round's window; when that is full,
 * the rest waits for the round to end, and each full round doubles the window (slow start grows
 * it by the bytes acknowledged) up to `cap`. A round that ended long ago starts afresh at `now`,
 * with the window the connection had: a kept-alive connection keeps its window (Linux's
 * slow-start-after-idle is not modelled). Returns when the last of the bytes may go out.
 */
export function sendThroughWindow(
  state: WindowState,
  bytes: number,
  now: number,
  rttMs: number,
  cap: number,
): { state: WindowState; at: number } {
  if (rttMs <= 0) return { state, at: now };
  let { cwnd, roundStart, roundBytes } = state;
  let at = now;
  if (roundStart === null || at >= roundStart + rttMs) {
    if (roundStart !== null) cwnd = grown(cwnd, roundBytes, cap);
    roundStart = at;
    roundBytes = 0;
  }
  let left = bytes;
  for (;;) {
    const room = cwnd - roundBytes;
    if (left <= room) {
      roundBytes += left;
      return { state: { cwnd, roundStart, roundBytes }, at };
    }
    left -= room;
    roundBytes = cwnd;
    roundStart += rttMs;
    at = roundStart;
    cwnd = grown(cwnd, roundBytes, cap);
    roundBytes = 0;
  }
}

function grown(cwnd: number, sent: number, cap: number): number {
  return Math.min(cap, cwnd + Math.min(sent, cwnd));
}

/**
 * The time slow start alone holds `bytes` back on a fresh connection: the number of round trips
 * it waits for before its last byte may go out, times the RTT. For documentation, tests and
 * lower bounds; the rate's own time (bytes / rate) comes on top where the rate binds.
 */
export function slowStartDelayMs(bytes: number, rttMs: number, cap: number): number {
  return sendThroughWindow(freshWindow(), bytes, 0, rttMs, cap).at;
}

/**
 * A lower bound of one request's time on the model: the handshake when the connection is new,
 * the request's round trip, slow start's waits on a new connection, and the body at the rate.
 */
export function requestLowerBoundMs(opts: {
  bodyBytes: number;
  rttMs: number;
  rateBytesPerSec: number | null;
  newConnection: boolean;
  tls: TlsVersion | null;
}): number {
  const { bodyBytes, rttMs, rateBytesPerSec } = opts;
  const handshake = opts.newConnection ? handshakeRoundTrips(opts.tls) * rttMs : 0;
  const window = opts.newConnection
    ? slowStartDelayMs(bodyBytes, rttMs, windowCapBytes(rateBytesPerSec, rttMs))
    : 0;
  const wire = rateBytesPerSec === null ? 0 : (bodyBytes / rateBytesPerSec) * 1000;
  return handshake + rttMs + Math.max(window, wire);
}
