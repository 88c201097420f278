import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { mergeAccounts, resolveAccounts } from './accounts';
import type { SandboxState } from './context';
import { makeDataDir } from './data-dir';
import { Faults } from './faults';
import { newSecret } from './ids';
import type { TlsVersion } from './link-model';
import { LinkShaper } from './link-shaper';
import { KeyedMutex } from './mutex';
import { createSandboxServer, type AnyServer } from './server';
import { SandboxStore } from './sandbox-store';
import { TokenBucket } from './throttle';
import { makeCertificate, secureContextOptions, type SandboxCertificate } from './tls';
import type { Sandbox, SandboxOptions, SandboxStats } from './types';

export type {
  FaultKind,
  FaultMatcher,
  FaultSpec,
  Sandbox,
  SandboxAccountSpec,
  SandboxFaults,
  SandboxOptions,
  SandboxStats,
  LinkStats,
  TlsVersion,
} from './types';
export {
  handshakeRoundTrips,
  requestLowerBoundMs,
  windowCapBytes,
  INITIAL_WINDOW_BYTES,
} from './link-model';

/**
 * Starts a local copy of the Device Management firmware-image API on 127.0.0.1. See README
 * ("The sandbox") and ./admin.ts for the admin endpoints.
 */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const ownsDir = opts.dataDir === undefined;
  const dataDir = ownsDir
    ? await mkdtemp(join(tmpdir(), 'firmdrop-sandbox-'))
    : resolve(opts.dataDir ?? '.');
  try {
    await makeDataDir(dataDir);
    const store = await SandboxStore.open(dataDir);
    const saved = await store.readAccounts();
    const accounts = resolveAccounts(saved, opts.accounts);
    await store.writeAccounts(mergeAccounts(saved, accounts));
    const faults = new Faults({
      latencyMs: opts.latencyMs ?? 0,
      bandwidth: opts.bandwidthBytesPerSec ?? null,
    });
    if (opts.tlsVersion !== undefined && !opts.tls) {
      throw new TypeError('tlsVersion needs tls: a plain HTTP sandbox has no TLS handshake');
    }
    const cert = opts.tls ? await makeCertificate(dataDir) : null;
    const closing = new AbortController();
    const stats = emptyStats(faults.fired);
    const bucket = new TokenBucket(() => faults.bandwidth, closing.signal);
    const link = () => ({ rttMs: faults.latencyMs, rateBytesPerSec: faults.bandwidth });
    const state: SandboxState = {
      url: '',
      store,
      faults: faults,
      link: new LinkShaper(link, bucket, stats.link, closing.signal),
      stats,
      adminToken: newSecret(),
      accounts,
      jobLocks: new KeyedMutex(),
      tlsVersion: opts.tlsVersion ?? null,
      setTlsVersion: () => undefined,
    };
    const inFlight = new Set<Promise<void>>();
    const tlsOptions = cert ? secureContextOptions(cert, state.tlsVersion) : null;
    const server = createSandboxServer(state, closing.signal, inFlight, tlsOptions);
    state.setTlsVersion = tlsVersionSetter(server, cert, state);
    const port = await listen(server, opts.port ?? 0);
    state.url = `${cert ? 'https' : 'http'}://127.0.0.1:${port}`;

    let closed: Promise<void> | null = null;
    const close = (): Promise<void> => {
      closed ??= (async () => {
        closing.abort();
        const stopped = new Promise<void>((done) => server.close(() => done()));
        server.closeAllConnections();
        // Handlers end promptly once their sockets are gone; the bound is a guard, not a wait.
        await Promise.race([
          Promise.allSettled([...inFlight]),
          delay(2000, undefined, { ref: false }),
        ]);
        await stopped;
        await store.flush();
        if (ownsDir) await rm(dataDir, { recursive: true, force: true });
      })();
      return closed;
    };

    return {
      url: state.url,
      adminToken: state.adminToken,
      accounts: accounts.map(({ key, tier, id, name }) => ({ key, tier, id, name })),
      dataDir,
      caCertPath: cert?.certPath ?? null,
      caCertPem: cert?.certPem ?? null,
      setTlsVersion: (v) => state.setTlsVersion(v),
      faults: faults,
      stats: () => structuredClone(state.stats),
      settled: async () => void (await Promise.allSettled([...inFlight])),
      close,
    };
  } catch (err) {
    if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

function emptyStats(faultsFired: SandboxStats['faultsFired']): SandboxStats {
  return {
    requests: 0,
    chunkPosts: 0,
    chunksAppended: 0,
    bytesAppended: 0,
    jobsCompleted: 0,
    imagesCreated: 0,
    faultsFired,
    responses: {},
    link: { connections: 0, handshakeWaitMs: 0, roundTripWaitMs: 0, slowStartWaitMs: 0 },
  };
}

/** Pins (or frees) the TLS version of connections made from now on. */
function tlsVersionSetter(
  server: AnyServer,
  cert: SandboxCertificate | null,
  state: SandboxState,
): (v: TlsVersion | null) => void {
  return (version) => {
    if (version !== null && version !== '1.2' && version !== '1.3') {
      throw new TypeError(
        `tlsVersion must be "1.2", "1.3" or null, got ${JSON.stringify(version)}`,
      );
    }
    if (cert === null || !('setSecureContext' in server)) {
      throw new TypeError('tlsVersion needs a TLS sandbox (start it with --tls)');
    }
    server.setSecureContext(secureContextOptions(cert, version));
    state.tlsVersion = version;
  };
}

function listen(server: AnyServer, port: number): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    // Loopback only: the sandbox holds test keys and answers anyone who can reach it.
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      done((server.address() as AddressInfo).port);
    });
  });
}
