import { resolve } from 'node:path';
import { FirmdropError, isFirmdropError } from '../../core/errors';
import { resolveBaseUrl } from '../../app/base-url';
import { defaultDataDir } from '../../app/paths';
import { openRuntime, type Runtime } from '../../app/runtime';
import type { RegionPresetKey } from '../../dm/regions';
import { createKeytarStore } from '../../secrets';
import type { Account, RegionLabel } from '../../store';
import type { GlobalOptions } from './args';
import { ENV_ACCOUNT_PREFIX, cliSecretStore, isEnvAccountId } from './cli-secrets';
import { printError } from './output';
import { CliUsageError } from './usage';

/** FIRMDROP_API_URL + FIRMDROP_API_KEY: an account that exists only for this run's environment. */
export interface EnvCredentials {
  baseUrl: string;
  region: RegionLabel;
  accountId: string;
}

export interface CliContext {
  dataDir: string;
  runtime: Runtime;
  env: EnvCredentials | null;
  /** --account NAME, else the environment's account, else the only stored one. */
  selectAccount(name: string | undefined): Account;
  accountName(id: string): string;
  close(): Promise<void>;
}

const PRESETS: readonly string[] = ['us', 'eu', 'jp'];
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** A region argument: a preset (us, eu, jp) or an API URL, checked like the desktop app does. */
export function parseRegion(text: string, what: string): { baseUrl: string; region: RegionLabel } {
  const t = text.trim();
  try {
    return PRESETS.includes(t.toLowerCase())
      ? resolveBaseUrl(t.toLowerCase() as RegionPresetKey)
      : resolveBaseUrl('custom', t);
  } catch (err) {
    if (isFirmdropError(err)) throw new CliUsageError(`${what}: ${err.message}`);
    throw err;
  }
}

export function readEnvCredentials(env: NodeJS.ProcessEnv): EnvCredentials | null {
  const url = env.FIRMDROP_API_URL?.trim() ?? '';
  const key = env.FIRMDROP_API_KEY?.trim() ?? '';
  if (url === '' && key === '') return null;
  if (url === '' || key === '') {
    const [set, unset] = url === '' ? ['FIRMDROP_API_KEY', 'FIRMDROP_API_URL'] : ['FIRMDROP_API_URL', 'FIRMDROP_API_KEY'];
    throw new CliUsageError(
      `${set} is set but ${unset} is not: set both (the API address — us, eu, jp or a URL — and the key), or neither to use a stored account.`,
    );
  }
  const { baseUrl, region } = parseRegion(url, 'FIRMDROP_API_URL');
  return { baseUrl, region, accountId: `${ENV_ACCOUNT_PREFIX}${new URL(baseUrl).host}` };
}

export function isLoopbackUrl(baseUrl: string): boolean {
  return LOOPBACK.test(new URL(baseUrl).hostname);
}

export function openContext(global: GlobalOptions, env: NodeJS.ProcessEnv = process.env): CliContext {
  const dataDir = resolve(global.dataDir ?? defaultDataDir(env));
  const creds = readEnvCredentials(env);
  const secrets = cliSecretStore({
    env,
    envAccountId: creds?.accountId ?? null,
    keychain: () => createKeytarStore({ service: env.FIRMDROP_KEYCHAIN_SERVICE?.trim() || undefined }),
  });
  const runtime = openRuntime({
    dataDir,
    secrets,
    // A script would rather fail (resumably) than wait for the network forever.
    engine: { offlineGiveUpMs: 5 * 60_000 },
    userAgent: `Firmdrop CLI (Node.js ${process.versions.node})`,
  });
  if (runtime.recoveryNotice) printError(runtime.recoveryNotice);
  const store = runtime.store;

  const envAccount = (c: EnvCredentials): Account => {
    const existing = store.accounts.get(c.accountId);
    if (existing) {
      return existing.baseUrl === c.baseUrl
        ? existing
        : store.accounts.update(c.accountId, { baseUrl: c.baseUrl, region: c.region });
    }
    try {
      return store.accounts.create({
        id: c.accountId,
        name: c.accountId,
        baseUrl: c.baseUrl,
        region: c.region,
        isSandbox: isLoopbackUrl(c.baseUrl),
      });
    } catch (err) {
      // Another firmdrop run created it at the same moment: use that row.
      const raced = store.accounts.get(c.accountId);
      if (raced) return raced;
      throw err;
    }
  };

  return {
    dataDir,
    runtime,
    env: creds,
    selectAccount(name) {
      if (name !== undefined) {
        const found = runtime.accounts.byName(name);
        if (found) return found;
        throw new CliUsageError(`there is no account named "${name}". ${accountsHint(store.accounts.list())}`);
      }
      if (creds) return envAccount(creds);
      const stored = store.accounts.list().filter((a) => !isEnvAccountId(a.id));
      if (stored.length === 1) return stored[0] as Account;
      if (stored.length === 0) {
        throw new FirmdropError(
          'not-found',
          'No account is set up. Add one with "firmdrop accounts add NAME --region us|eu|jp|URL" (the key goes to the OS keychain), or set FIRMDROP_API_URL and FIRMDROP_API_KEY.',
        );
      }
      throw new CliUsageError(`several accounts are set up: choose one with --account NAME. ${accountsHint(stored)}`);
    },
    accountName: (id) => store.accounts.get(id)?.name ?? id,
    close: () => runtime.close(),
  };
}

function accountsHint(accounts: Account[]): string {
  const names = accounts.filter((a) => !isEnvAccountId(a.id)).map((a) => `"${a.name}"`);
  return names.length ? `Accounts: ${names.join(', ')}.` : 'No accounts are stored yet.';
}
