import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { mergeAccounts, resolveAccounts } from './accounts';
import type { SandboxState } from './context';
import { makeDataDir } from './data-dir';
import { Counter } from './counter';
import type { TlsVersion } from './link-model';
import { LinkShaper } from './link-shaper';
import { KeyedMutex } from './mutex';
import { RequestLog } from './request-log';
import { SandboxStore } from './sandbox-store';
import { createSandboxServer, type AnyServer, type ServerLayer } from './server';
import { TokenBucket } from './throttle';
import { makeCertificate, secureContextOptions, type SandboxCertificate } from './tls';
import type { FaultKind, SandboxService, ServiceOptions } from './types';

/** The modelled link (./link-shaper.ts): none unless a layer sets a round trip or a rate. */
export interface LinkParams {
  rttMs: number;
  rateBytesPerSec: number | null;
}

/** What an opt-in layer gets to build itself on, before the server starts. */
export interface LayerSeed {
  state: SandboxState;
  closing: AbortSignal;
}

/** The hooks a layer gives the core: its server layer, the link to model. */
export interface LayerParts {
  layer: ServerLayer;
  link: () => LinkParams;
  faultsFired: Record<FaultKind, number>;
}

/**
 * Starts the service on 127.0.0.1, with an optional layer (./control.ts) around it. Kept free of
 * the layer's code so that the service-only entry (./service.ts) does not carry it.
 */
export async function openSandbox(
  opts: ServiceOptions,
  addLayer: ((seed: LayerSeed) => LayerParts) | null,
): Promise<{ service: SandboxService; state: SandboxState }> {
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
    if (opts.tlsVersion !== undefined && !opts.tls) {
      throw new TypeError('tlsVersion needs tls: a plain HTTP sandbox has no TLS handshake');
    }
    const cert = opts.tls ? await makeCertificate(dataDir) : null;
    const closing = new AbortController();
    let link = (): LinkParams => ({ rttMs: 0, rateBytesPerSec: null });
    const stats = emptyStats();
    const bucket = new TokenBucket(() => link().rateBytesPerSec, closing.signal);
    const state: SandboxState = {
      url: '',
      store,
      link: new LinkShaper(() => link(), bucket, stats.link, closing.signal),
      stats,
      arrivals: {
        requests: new Counter(),
        bytesReceived: new Counter(),
        chunksAppended: new Counter(),
      },
      log: new RequestLog(),
      accounts,
      jobLocks: new KeyedMutex(),
      tlsVersion: opts.tlsVersion ?? null,
      setTlsVersion: () => undefined,
    };
    const parts = addLayer?.({ state, closing: closing.signal }) ?? null;
    if (parts) {
      link = parts.link;
      state.stats.faultsFired = parts.faultsFired;
    }
    const inFlight = new Set<Promise<void>>();
    const tlsOptions = cert ? secureContextOptions(cert, state.tlsVersion) : null;
    const server = createSandboxServer(state, parts?.layer ?? null, inFlight, tlsOptions);
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

    const service: SandboxService = {
      url: state.url,
      caCertPath: cert?.certPath ?? null,
      caCertPem: cert?.certPem ?? null,
      setTlsVersion: (v) => state.setTlsVersion(v),
      accounts: accounts.map(({ key, tier, id, name }) => ({ key, tier, id, name })),
      dataDir,
      stats: () => structuredClone(state.stats),
      settled: async () => void (await Promise.allSettled([...inFlight])),
      close,
    };
    return { service, state };
  } catch (err) {
    if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

function emptyStats(): SandboxState['stats'] {
  return {
    requests: 0,
    bytesReceived: 0,
    chunkPosts: 0,
    chunksAppended: 0,
    bytesAppended: 0,
    jobsCompleted: 0,
    imagesCreated: 0,
    faultsFired: { status: 0, reset: 0, 'append-then-drop': 0, delay: 0, 'job-lag': 0 },
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
