import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  freshWindow,
  handshakeRoundTrips,
  sendThroughWindow,
  windowCapBytes,
  type TlsVersion,
  type WindowState,
} from './link-model';
import { pause, type Throttle, type TokenBucket } from './throttle';
import type { LinkStats } from './types';

interface Connection {
  /** When the modelled handshake is over and the first request may be taken. */
  readyAt: number;
  served: boolean;
  window: WindowState;
}

/**
 * The link model (./link-model.ts) applied where the sandbox meets its clients. It is keyed by
 * the server's socket of each request, so it needs no relay in front of the server: the
 * handshake is charged to a connection's first request (from the moment the connection was
 * accepted, so a client that opened it early has already paid), the round trip to every request,
 * and request bodies are let through the connection's window and then the one shared bucket.
 * Answers and request headers are not shaped (they are small next to firmware bodies).
 */
export class LinkShaper {
  private readonly connections = new WeakMap<Socket, Connection>();

  constructor(
    private readonly link: () => { rttMs: number; rateBytesPerSec: number | null },
    private readonly bucket: TokenBucket,
    private readonly stats: LinkStats,
    private readonly signal: AbortSignal,
  ) {}

  /** A connection was accepted (plain TCP) or finished its real TLS handshake. */
  connected(socket: Socket): void {
    const tls = tlsVersionOf(socket);
    this.stats.connections++;
    this.connections.set(socket, {
      readyAt: performance.now() + handshakeRoundTrips(tls) * this.link().rttMs,
      served: false,
      window: freshWindow(),
    });
  }

  /** Holds a request for its round trip, and a new connection's first one for the handshake. */
  async beforeRequest(socket: Socket): Promise<void> {
    const conn = this.connectionOf(socket);
    if (!conn.served) {
      conn.served = true;
      const wait = conn.readyAt - performance.now();
      if (wait > 0) {
        this.stats.handshakeWaitMs += wait;
        await pause(wait, this.signal);
      }
    }
    const rtt = this.link().rttMs;
    this.stats.roundTripWaitMs += rtt;
    await pause(rtt, this.signal);
  }

  /** The throttle for bodies read on this socket: its window first, then the shared rate. */
  throttleFor(socket: Socket): Throttle {
    return {
      take: async (bytes) => {
        const conn = this.connectionOf(socket);
        const { rttMs, rateBytesPerSec } = this.link();
        const now = performance.now();
        const cap = windowCapBytes(rateBytesPerSec, rttMs);
        const sent = sendThroughWindow(conn.window, bytes, now, rttMs, cap);
        conn.window = sent.state;
        if (sent.at > now) {
          this.stats.slowStartWaitMs += sent.at - now;
          await pause(sent.at - now, this.signal);
        }
        await this.bucket.take(bytes);
      },
    };
  }

  private connectionOf(socket: Socket): Connection {
    let conn = this.connections.get(socket);
    if (conn === undefined) {
      // Not seen at accept time (cannot happen with the sandbox's own servers): count it as new now.
      this.connected(socket);
      conn = this.connections.get(socket) as Connection;
    }
    return conn;
  }
}

function tlsVersionOf(socket: Socket): TlsVersion | null {
  const protocol = (socket as Partial<TLSSocket>).getProtocol?.();
  if (protocol === undefined || protocol === null) return null;
  return protocol === 'TLSv1.3' ? '1.3' : '1.2';
}
