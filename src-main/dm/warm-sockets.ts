import type { Socket } from 'node:net';
import type { buildConnector } from 'undici';

/**
 * How long a connection opened ahead may wait for its first request. Servers close connections
 * that stay silent (Node's default after 5 s of keep-alive, load balancers after ~60 s of idle);
 * one older than this is closed rather than handed to a request that would then fail on it.
 */
export const WARM_MAX_AGE_MS = 4_000;

interface Ready {
  socket: Socket;
  openedAt: number;
  onError: () => void;
  onClose: () => void;
}

/**
 * Connections to one origin opened before any request needs them: TCP and TLS handshakes (two
 * or three round trips on a long link) are paid while something else is waited for (the CLI's
 * `accounts/me`), so the pre-flight's parallel requests that follow find them ready. Used as the
 * dispatcher's connector: a warm socket is handed out first, else a new one is made as usual.
 * Idle warm sockets do not keep the process alive, and an error on one only drops it.
 */
export class WarmSockets {
  private readonly ready: Ready[] = [];
  private disposed = false;
  private started = 0;

  constructor(
    private readonly base: buildConnector.connector,
    private readonly target: URL,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The dispatcher's connector. */
  readonly connector: buildConnector.connector = (options, callback) => {
    const entry = this.take(options);
    if (!entry) {
      this.started++;
      return this.base(options, callback);
    }
    // Handed over on a later turn, as a connection just made would be: undici sets up its own
    // state after asking, and a socket given back within the call is never written to. It keeps
    // its idle error handler until then.
    setImmediate(() => {
      this.drop(entry, false);
      if (entry.socket.destroyed) {
        this.started++;
        return this.base(options, callback);
      }
      // In use from now on: undici refs and unrefs it by its own bookkeeping.
      entry.socket.ref();
      callback(null, entry.socket);
    });
  };

  /** Opens `count` connections now (failures are silent: the request makes its own). */
  open(count: number): void {
    for (let i = 0; i < count && !this.disposed; i++) {
      this.started++;
      this.base(this.options(), (err, socket) => {
        if (err || !socket) return;
        if (this.disposed) {
          socket.destroy();
          return;
        }
        this.keep(socket);
      });
    }
  }

  /**
   * Connections begun so far (ahead or on demand): a request during which this grew may have
   * waited for a handshake (see round-trips.ts).
   */
  get opened(): number {
    return this.started;
  }

  /** How many warm connections wait for a request. */
  get waiting(): number {
    return this.ready.length;
  }

  dispose(): void {
    this.disposed = true;
    for (const r of this.ready.splice(0)) this.drop(r, true);
  }

  private keep(socket: Socket): void {
    const entry: Ready = {
      socket,
      openedAt: this.now(),
      onError: () => this.remove(entry, true),
      onClose: () => this.remove(entry, false),
    };
    // An idle socket's error must not be unhandled (that would end the process); it only goes.
    socket.on('error', entry.onError);
    socket.once('close', entry.onClose);
    socket.unref();
    this.ready.push(entry);
  }

  private take(options: buildConnector.Options): Ready | null {
    if (!this.matches(options)) return null;
    for (;;) {
      const entry = this.ready.shift();
      if (!entry) return null;
      const fresh = this.now() - entry.openedAt <= WARM_MAX_AGE_MS;
      if (fresh && !entry.socket.destroyed && entry.socket.writable) return entry;
      this.drop(entry, true);
    }
  }

  private remove(entry: Ready, destroy: boolean): void {
    const i = this.ready.indexOf(entry);
    if (i >= 0) this.ready.splice(i, 1);
    this.drop(entry, destroy);
  }

  private drop(entry: Ready, destroy: boolean): void {
    entry.socket.off('error', entry.onError);
    entry.socket.off('close', entry.onClose);
    if (destroy) {
      entry.socket.on('error', () => undefined);
      entry.socket.destroy();
    }
  }

  private matches(o: buildConnector.Options): boolean {
    return (
      o.protocol === this.target.protocol &&
      o.hostname === hostnameOf(this.target) &&
      String(o.port || '') === this.target.port
    );
  }

  private options(): buildConnector.Options {
    return {
      protocol: this.target.protocol,
      hostname: hostnameOf(this.target),
      host: this.target.host,
      port: this.target.port,
    };
  }
}

/** The URL's host name as undici's connector is given it (an IPv6 address without brackets). */
function hostnameOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/u, '$1');
}
