import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { mergeAccounts, resolveAccounts } from './accounts';
import type { SandboxState } from './context';
import { makeDataDir } from './data-dir';
import { Faults } from './faults';
import { newSecret } from './ids';
import { KeyedMutex } from './mutex';
import { RequestLog } from './request-log';
import { createSandboxServer } from './server';
import { SandboxStore } from './sandbox-store';
import { TokenBucket } from './throttle';
import type { Sandbox, SandboxOptions, SandboxStats } from './types';

export type {
  FaultKind,
  FaultMatcher,
  FaultSpec,
  Sandbox,
  SandboxAccountSpec,
  SandboxFaults,
  SandboxOptions,
  SandboxRequestRecord,
  SandboxStats,
} from './types';

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
    const closing = new AbortController();
    const state: SandboxState = {
      url: '',
      store,
      faults: faults,
      bucket: new TokenBucket(() => faults.bandwidth, closing.signal),
      stats: emptyStats(faults.fired),
      log: new RequestLog(),
      adminToken: newSecret(),
      accounts,
      jobLocks: new KeyedMutex(),
    };
    const inFlight = new Set<Promise<void>>();
    const server = createSandboxServer(state, closing.signal, inFlight);
    const port = await listen(server, opts.port ?? 0);
    state.url = `http://127.0.0.1:${port}`;

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
      faults: faults,
      stats: () => structuredClone(state.stats),
      requests: () => state.log.list(),
      clearRequests: () => state.log.clear(),
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
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    // Loopback only: the sandbox holds test keys and answers anyone who can reach it.
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      done((server.address() as AddressInfo).port);
    });
  });
}
