import { mkdirSync } from 'node:fs';
import { FirmdropError } from '../core/errors';
import type { Sandbox } from '../sandbox';
import { tryEngineLock } from '../store/engine-lock';
import type { SecretStore } from '../secrets';
import { openRuntime, type Runtime } from './runtime';
import { SecretsWithLocalKeys, startEmbeddedSandbox } from './sandbox-account';
import { createAppService, type AppService } from './service';

export interface BootOptions {
  dataDir: string;
  version: string;
  /** The OS keychain (or a test's). */
  keychain: SecretStore;
  resolveFile(ref: string): string | null;
  sqliteBinding?: string;
  /** Start the local sandbox on first run (no account yet). Default true. */
  sandbox?: boolean;
}

export interface BootedApp {
  service: AppService;
  runtime: Runtime;
  sandbox: Sandbox | null;
  close(): Promise<void>;
}

/**
 * Starts everything behind a desktop or web window: journal, accounts, engine, the embedded
 * sandbox on first run, and finds uploads a crash or quit left mid-way (they wait as
 * `interrupted` until the user resumes them; the UI offers that at launch).
 */
export async function bootApp(o: BootOptions): Promise<BootedApp> {
  // One engine per data folder: the desktop app, the web shell and the CLI share the journal, and
  // two engines resuming the same upload would append to one job at once.
  mkdirSync(o.dataDir, { recursive: true });
  const lock = tryEngineLock(o.dataDir, o.sqliteBinding);
  if (!lock) {
    throw new FirmdropError(
      'storage',
      `Another Firmdrop (perhaps the firmdrop command) is uploading with the data folder ${o.dataDir}. Let it finish or stop it, then start Firmdrop again.`,
    );
  }
  try {
    return await startBehindLock(o, lock);
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function startBehindLock(o: BootOptions, lock: { release(): void }): Promise<BootedApp> {
  const secrets = new SecretsWithLocalKeys(o.keychain);
  const runtime = openRuntime({
    dataDir: o.dataDir,
    secrets,
    ...(o.sqliteBinding ? { sqliteBinding: o.sqliteBinding } : {}),
    userAgent: `Firmdrop/${o.version}`,
  });
  const sandbox =
    o.sandbox === false
      ? null
      : await startEmbeddedSandbox(runtime, secrets, o.dataDir).catch(async (err: unknown) => {
          await runtime.close();
          throw err;
        });
  const interrupted = runtime.engine.recover().filter((u) => u.state === 'interrupted');
  const notices = interrupted.length
    ? [
        `${interrupted.length} upload${interrupted.length === 1 ? ' was' : 's were'} interrupted when Firmdrop last stopped. Resume them from the Upload screen; they continue from what the server holds.`,
      ]
    : [];
  const service = createAppService({
    rt: runtime,
    secrets,
    version: o.version,
    resolveFile: o.resolveFile,
    notices,
  });
  return {
    service,
    runtime,
    sandbox,
    async close() {
      await runtime.close();
      await sandbox?.close();
      lock.release();
    },
  };
}
