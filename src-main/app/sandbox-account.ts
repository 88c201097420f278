import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { KeychainStatus, SecretStore } from '../secrets';
// The service alone: the admin API and fault injection are not part of what the app ships.
import { startSandboxService, type SandboxService } from '../../src-sandbox/service';
import { ensurePrivateDir, tightenTree } from '../store/private-files';
import { SANDBOX_FOLDER } from './paths';
import type { Runtime } from './runtime';

/** The embedded sandbox as the app holds it. */
export type EmbeddedSandbox = SandboxService;

export const SANDBOX_ACCOUNT_NAME = 'Sandbox (local)';

/**
 * Keys that are not secrets: the embedded sandbox's key lives in the sandbox's own data folder,
 * so trying Firmdrop works even where no keychain does. Every other account goes to the keychain.
 */
export class SecretsWithLocalKeys implements SecretStore {
  private readonly local = new Map<string, string>();

  constructor(private readonly inner: SecretStore) {}

  setLocal(accountId: string, key: string): void {
    this.local.set(accountId, key);
  }

  async get(accountId: string): Promise<string | null> {
    return this.local.get(accountId) ?? this.inner.get(accountId);
  }
  set(accountId: string, key: string): Promise<void> {
    return this.inner.set(accountId, key);
  }
  async delete(accountId: string): Promise<boolean> {
    return this.local.delete(accountId) || this.inner.delete(accountId);
  }
  probe(): Promise<KeychainStatus> {
    return this.inner.probe();
  }
}

/**
 * On a first start (no account yet), or whenever the sandbox account exists, the local sandbox
 * runs beside the app on 127.0.0.1 with its data under the app's data folder; the account row is
 * pointed at its (new) port. Returns null when the user has only real accounts.
 */
export async function startEmbeddedSandbox(
  rt: Runtime,
  secrets: SecretsWithLocalKeys,
  dataDir: string,
): Promise<EmbeddedSandbox | null> {
  const accounts = rt.accounts.list();
  const existing = accounts.find((a) => a.isSandbox);
  if (!existing && accounts.length > 0) return null;
  const sandboxDir = join(dataDir, SANDBOX_FOLDER);
  ensurePrivateDir(sandboxDir);
  const sandbox = existing
    ? await startSandboxService({ dataDir: sandboxDir })
    : await startSandboxService({
        dataDir: sandboxDir,
        accounts: [
          { key: `ak_sandbox_${randomBytes(20).toString('hex')}`, tier: '1', name: 'Sandbox' },
        ],
      });
  // The sandbox writes its files (its account key among them) with the default mode; make the
  // ones it wrote at start private. Later ones stay behind the 0700 data folder until next start.
  try {
    tightenTree(sandboxDir);
  } catch (err) {
    await sandbox.close();
    throw err;
  }
  const spec = sandbox.accounts[0];
  if (!spec) throw new Error('the embedded sandbox started without an account');
  const row = existing
    ? rt.store.accounts.update(existing.id, { baseUrl: sandbox.url })
    : rt.store.accounts.create({
        name: SANDBOX_ACCOUNT_NAME,
        baseUrl: sandbox.url,
        region: 'custom',
        isSandbox: true,
        dmAccountId: spec.id,
        displayName: 'Local sandbox (nothing leaves this computer)',
        tier: spec.tier,
      });
  secrets.setLocal(row.id, spec.key);
  await rt.accounts.closeClients();
  return sandbox;
}
