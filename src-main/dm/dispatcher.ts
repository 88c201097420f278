import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { Agent, buildConnector, ProxyAgent, type Dispatcher } from 'undici';
import { FirmdropError } from '../core/errors';
import { resolveProxy, type ProxyChoice, type ProxyEnv } from './proxy';
import { redactUrlCredentials } from './redact';
import { RoundTrips } from './round-trips';
import { WarmSockets } from './warm-sockets';

export interface DispatcherOptions {
  target: URL;
  connections: number;
  timeoutMs: number;
  proxyUrl?: string | null;
  env: ProxyEnv;
  extraCaPem?: string;
}

/**
 * The CA list, when the account adds its own CA (e.g. a TLS-inspecting corporate proxy). Passing
 * `ca` replaces Node's default store, so the bundled roots and NODE_EXTRA_CA_CERTS (which Node
 * would otherwise have added by itself) are included explicitly.
 */
export function caList(extraCaPem: string | undefined, env: ProxyEnv): string[] | undefined {
  if (extraCaPem === undefined || extraCaPem.trim() === '') return undefined;
  const list = [...rootCertificates];
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  if (extraFile) {
    try {
      list.push(readFileSync(extraFile, 'utf8'));
    } catch {
      // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; do the same by ignoring it.
    }
  }
  list.push(extraCaPem);
  return list;
}

/**
 * The TLS options that trust the extra CA: one secure context for every connection. Given `ca`
 * instead, Node parses the ~140 bundled roots again for each connection: 35–40 ms of the main
 * thread per handshake, ~110 ms before the CLI's first request (its own connection and the
 * two it opens ahead for the pre-flight).
 */
function trustOptions(
  extraCaPem: string | undefined,
  env: ProxyEnv,
): { secureContext: SecureContext } | undefined {
  const ca = caList(extraCaPem, env);
  return ca ? { secureContext: createSecureContext({ ca }) } : undefined;
}

function checkProxyUrl(choice: ProxyChoice): void {
  let url: URL;
  try {
    url = new URL(choice.url);
  } catch {
    throw new FirmdropError(
      'invalid-input',
      `The proxy URL "${redactUrlCredentials(choice.url)}" (from ${choice.source === 'env' ? 'HTTPS_PROXY/HTTP_PROXY' : 'the account settings'}) is not a valid URL. Use http://host:port.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FirmdropError(
      'invalid-input',
      `The proxy URL must start with http:// or https://, not ${url.protocol}//.`,
    );
  }
}

/**
 * One keep-alive dispatcher per client: a plain Agent, or a ProxyAgent when a proxy applies.
 * A plain Agent can open connections ahead of its requests (`warm`); through a proxy it cannot.
 */
export function createDispatcher(opts: DispatcherOptions): {
  dispatcher: Dispatcher;
  proxy: ProxyChoice | null;
  warm: WarmSockets | null;
} {
  const tls = trustOptions(opts.extraCaPem, opts.env);
  const common = {
    connections: opts.connections,
    keepAliveTimeout: 10_000,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connect: { ...tls, timeout: opts.timeoutMs },
  };
  const proxy = resolveProxy(opts.target, opts.proxyUrl, opts.env);
  if (proxy === null) {
    const warm = new WarmSockets(buildConnector(common.connect), opts.target);
    return { dispatcher: new Agent({ ...common, connect: warm.connector }), proxy, warm };
  }
  checkProxyUrl(proxy);
  const dispatcher = new ProxyAgent({
    ...common,
    uri: proxy.url,
    requestTls: tls,
    proxyTls: tls,
  });
  return { dispatcher, proxy, warm: null };
}

interface Shared {
  dispatcher: Dispatcher;
  proxy: ProxyChoice | null;
  warm: WarmSockets | null;
  /** The link's round trip as every client of these connections measured it. */
  trips: RoundTrips;
  users: number;
  /** Set while nobody uses it: it is closed when this fires. */
  idle: NodeJS.Timeout | null;
}

/**
 * How long a dispatcher nobody uses stays open: a client made for one question (the CLI asking
 * `accounts/me` for the key in its environment) is closed just before the uploads' own client
 * is made, which then finds the connection still warm. Idle sockets do not keep a process alive.
 */
const IDLE_CLOSE_MS = 1_000;

const shared = new Map<string, Shared>();

/**
 * One keep-alive dispatcher per host (and proxy, CA and limits) for every client of this process:
 * two accounts of one region, or a client made for one question beside the uploads' client, use
 * the same warm connections instead of each paying TCP and TLS handshakes and slow start again.
 * Requests carry their own key, so sharing sockets shares nothing secret. The dispatcher is
 * closed IDLE_CLOSE_MS after its last client releases it, unless a new client takes it first.
 */
export function shareDispatcher(opts: DispatcherOptions): {
  dispatcher: Dispatcher;
  proxy: ProxyChoice | null;
  /** Opens `count` connections to the target now, for requests soon to come (no-op via a proxy). */
  warmUp(count: number): void;
  /** Round trips measured on this host's connections, by any client (see round-trips.ts). */
  trips: RoundTrips;
  /** Connections begun so far to the host (0 through a proxy, which opens its own). */
  connects(): number;
  release(): Promise<void>;
} {
  const proxy = resolveProxy(opts.target, opts.proxyUrl, opts.env);
  const key = JSON.stringify([
    opts.target.origin,
    proxy?.url ?? null,
    opts.extraCaPem ?? null,
    opts.env.NODE_EXTRA_CA_CERTS ?? null,
    opts.connections,
    opts.timeoutMs,
  ]);
  let entry = shared.get(key);
  if (!entry) {
    entry = { ...createDispatcher(opts), trips: new RoundTrips(), users: 0, idle: null };
    shared.set(key, entry);
  }
  if (entry.idle) clearTimeout(entry.idle);
  entry.idle = null;
  entry.users++;
  const mine = entry;
  let released = false;
  return {
    dispatcher: mine.dispatcher,
    proxy: mine.proxy,
    warmUp: (count) => mine.warm?.open(count),
    trips: mine.trips,
    connects: () => mine.warm?.opened ?? 0,
    async release() {
      if (released) return;
      released = true;
      mine.users--;
      if (mine.users > 0) return;
      mine.idle = setTimeout(() => {
        if (mine.users > 0) return;
        if (shared.get(key) === mine) shared.delete(key);
        mine.warm?.dispose();
        void mine.dispatcher.destroy();
      }, IDLE_CLOSE_MS);
      mine.idle.unref();
    },
  };
}
