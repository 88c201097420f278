import { FirmdropError } from '../core/errors';
import { tryAppLock } from '../store/app-lock';
import type { OwnerKind } from '../upload/ownership';
import type { SecretStore } from '../secrets';
import { ensureDataDir } from './data-dir';
import { openRuntime, type Runtime } from './runtime';
import {
  SecretsWithLocalKeys,
  startEmbeddedSandbox,
  type EmbeddedSandbox,
} from './sandbox-account';
import { CANCEL_UNDO_MS } from './cancel-window';
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
  /** 'web' for the browser shell; default 'app'. */
  owner?: OwnerKind;
  /** How long a Cancel can be undone; CANCEL_UNDO_MS unless a test wants it shorter. */
  cancelGraceMs?: number;
}

export interface BootedApp {
  service: AppService;
  runtime: Runtime;
  sandbox: EmbeddedSandbox | null;
  close(): Promise<void>;
}

/**
 * Starts everything behind a desktop or web window: journal, accounts, engine, the embedded
 * sandbox on first run, and finds uploads a crash or quit left mid-way (they wait as
 * `interrupted` until the user resumes them; the UI offers that at launch).
 */
export async function bootApp(o: BootOptions): Promise<BootedApp> {
  // One app per data folder (its embedded sandbox is its own). Uploads are not locked here: the
  // CLI shares the journal, each upload worked by the process that holds its lease.
  ensureDataDir(o.dataDir);
  const lock = tryAppLock(o.dataDir, o.sqliteBinding);
  if (!lock) {
    throw new FirmdropError(
      'storage',
      `Firmdrop is already open with the data folder ${o.dataDir} (in another window or browser tab). Use that one, or close it first. The firmdrop command can run beside it.`,
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
    owner: o.owner ?? 'app',
  });
  const sandbox =
    o.sandbox === false
      ? null
      : await startEmbeddedSandbox(runtime, secrets, o.dataDir).catch(async (err: unknown) => {
          await runtime.close();
          throw err;
        });
  const interrupted = runtime.engine.recover().filter((u) => u.state === 'interrupted');
  const notices: string[] = [];
  // Older versions kept a proxy's user name and password inside its URL, in the database.
  const proxyNotice = await runtime.proxy.moveLoginToKeychain();
  if (proxyNotice) notices.push(proxyNotice);
  const service = createAppService({
    rt: runtime,
    secrets,
    version: o.version,
    resolveFile: o.resolveFile,
    notices,
    interruptedAtStart: interrupted.map((u) => u.id),
    // A window's Cancel can be undone for a few seconds; the service, not the page, enforces it.
    cancelGraceMs: o.cancelGraceMs ?? CANCEL_UNDO_MS,
  });
  return {
    service,
    runtime,
    sandbox,
    async close() {
      service.dispose();
      await runtime.close();
      await sandbox?.close();
      lock.release();
    },
  };
}
