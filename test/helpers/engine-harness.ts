import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { whenFired } from '../../src-main/core/event';
import { MiB } from '../../src-main/core/limits';
import { createDmClient, type DmClient } from '../../src-main/dm/client';
import type { Sandbox } from '../../src-sandbox';
import { startSandbox } from '../../src-sandbox';
import { openStore, type Store, type Upload } from '../../src-main/store';
import type { OpenChunkReader } from '../../src-main/upload/chunk-reader';
import { UploadEngine } from '../../src-main/upload/engine';
import { prepareUpload, type PrepareUploadInput } from '../../src-main/upload/prepare-upload';
import { systemClock, type Clock } from '../../src-main/upload/ports';
import type { EngineSettings, UploadSnapshot } from '../../src-main/upload/types';

export const FREE_KEY = 'ak_engine_free_0123456789';
export const COMMERCIAL_KEY = 'ak_engine_commercial_0123456789';

/**
 * The real engine over a real SQLite file and the sandbox over HTTP. Only waiting is shortened:
 * backoff sleeps are capped at `maxSleepMs`, so retries happen in test time, in the same order;
 * or, with `clock` (a FakeClock), the engine runs on virtual time and never waits at all.
 */
export interface EngineHarness {
  sandbox: Sandbox;
  store: Store;
  engine: UploadEngine;
  dir: string;
  accountId: string;
  settings: EngineSettings;
  dm: DmClient;
  events: UploadSnapshot[];
  notices: string[];
  file(name: string, bytes: number): { path: string; data: Buffer };
  add(input: Omit<PrepareUploadInput, 'accountId'> & { accountId?: string }): Promise<Upload>;
  /** Another account in the same journal, on `sandbox` (its own host), with its own client. */
  addAccount(sandbox: Sandbox, key: string): { accountId: string; dm: DmClient };
  /** A fresh engine over the same store (as after a restart). */
  restartEngine(): UploadEngine;
  close(): Promise<void>;
}

export async function engineHarness(
  opts: {
    tier?: '0' | '1';
    settings?: Partial<EngineSettings>;
    maxSleepMs?: number;
    dmTimeoutMs?: number;
    sandbox?: Sandbox;
    /** The engine's clock as given (maxSleepMs is then ignored). */
    clock?: Clock;
    /** The engine's jitter source (default Math.random). */
    random?: () => number;
    /** Wraps the chunk hashers (to hold a resume's prefix check, say). */
    openReader?: OpenChunkReader;
  } = {},
): Promise<EngineHarness> {
  const key = opts.tier === '0' ? FREE_KEY : COMMERCIAL_KEY;
  const sandbox =
    opts.sandbox ??
    (await startSandbox({
      accounts: [
        { key: FREE_KEY, tier: '0' },
        { key: COMMERCIAL_KEY, tier: '1' },
      ],
    }));
  const dir = mkdtempSync(join(tmpdir(), 'firmdrop-engine-'));
  const store = openStore({ file: join(dir, 'firmdrop.db') });
  const account = store.accounts.create({
    name: 'Sandbox',
    baseUrl: sandbox.url,
    region: 'custom',
    isSandbox: true,
    tier: opts.tier ?? '1',
  });
  const settings: EngineSettings = {
    chunkSize: 5 * MiB,
    smallThreshold: 1 * MiB,
    filesAtOnce: 2,
    keepCompletedJobs: false,
    maxAttempts: 6,
    offlineGiveUpMs: 20_000,
    ...opts.settings,
  };
  const clientFor = (baseUrl: string, apiKey: string) =>
    createDmClient({
      baseUrl,
      apiKey,
      timeoutMs: opts.dmTimeoutMs ?? 10_000,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    });
  const dm = clientFor(sandbox.url, key);
  const clients = new Map<string, DmClient>([[account.id, dm]]);
  const maxSleep = opts.maxSleepMs ?? 20;
  const events: UploadSnapshot[] = [];
  const notices: string[] = [];
  // Real time, real timers; only the waits are cut short.
  const shortSleeps: Clock = {
    ...systemClock,
    sleep: (ms, signal) => systemClock.sleep(Math.min(ms, maxSleep), signal),
  };
  const makeEngine = () => {
    const engine = new UploadEngine({
      store,
      client: async (accountId) => clients.get(accountId) ?? dm,
      settings: () => settings,
      clock: opts.clock ?? shortSleeps,
      ...(opts.random ? { random: opts.random } : {}),
      ...(opts.openReader ? { openReader: opts.openReader } : {}),
    });
    engine.onDidChange((s: UploadSnapshot) => events.push(s));
    engine.onNotice(({ message }) => notices.push(message));
    return engine;
  };
  const harness: EngineHarness = {
    sandbox,
    store,
    engine: makeEngine(),
    dir,
    accountId: account.id,
    settings,
    dm,
    events,
    notices,
    file(name, bytes) {
      const data = randomBytes(bytes);
      const path = join(dir, name);
      writeFileSync(path, data);
      return { path, data };
    },
    add: (input) =>
      prepareUpload(
        { store, dm: clients.get(input.accountId ?? account.id) ?? dm, settings },
        { accountId: account.id, ...input },
      ),
    addAccount(other, apiKey) {
      const row = store.accounts.create({
        name: `Sandbox ${clients.size + 1}`,
        baseUrl: other.url,
        region: 'custom',
        isSandbox: true,
        tier: '1',
      });
      const client = clientFor(other.url, apiKey);
      clients.set(row.id, client);
      return { accountId: row.id, dm: client };
    },
    restartEngine() {
      harness.engine = makeEngine();
      return harness.engine;
    },
    async close() {
      await harness.engine.shutdown();
      for (const client of clients.values()) await client.close();
      store.close();
      if (!opts.sandbox) await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** What the server holds for the account: images and unfinished jobs. */
export async function serverState(dm: DmClient): Promise<{ images: number; openJobs: number }> {
  const images = await dm.listImages({ include: 'total_count', limit: 1000 });
  const jobs = await dm.listUploadJobs({ limit: 1000 });
  return { images: images.data.length, openJobs: jobs.data.filter((j) => !j.completed).length };
}

/** Resolves at the first snapshot of upload `id` for which `test` holds. */
export function whenUpload(
  engine: UploadEngine,
  id: string,
  test: (s: UploadSnapshot) => boolean,
): Promise<UploadSnapshot> {
  return whenFired(engine.onDidChange, (s) => s.upload.id === id && test(s));
}

/** The bytes behind a datafile URL. */
export async function download(url: string): Promise<Buffer> {
  return Buffer.from(await (await fetch(url)).arrayBuffer());
}
