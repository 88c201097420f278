import { resolve } from 'node:path';
import { FirmdropError, isFirmdropError } from '../../core/errors';
import { resolveBaseUrl, type RegionPresetKey } from '../../app/base-url';
import {
  isEnvAccountId,
  openCommandLine,
  type Account,
  type CommandLineApp as CliApp,
  type EngineSettings,
  type EnvCredentials,
  type RegionLabel,
} from '../../app/command-line';
import { defaultDataDir } from '../../app/paths';
import { readTrustedCa } from '../../app/trusted-ca';
import type { GlobalOptions } from './args';
import { printError } from './output';
import { CliUsageError } from './usage';

export type { EnvCredentials };

export interface CliContext {
  dataDir: string;
  /** The application service, as the command line uses it. */
  app: CliApp;
  env: EnvCredentials | null;
  /**
   * --account NAME, else the environment key's account (asked of the service: one request), else
   * the only stored one.
   */
  selectAccount(name: string | undefined): Promise<Account>;
  accountName(id: string): string;
  close(): Promise<void>;
}

const PRESETS: readonly string[] = ['us', 'eu', 'jp'];
const USER_AGENT = `Firmdrop CLI (Node.js ${process.versions.node})`;

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
    const [set, unset] =
      url === ''
        ? ['FIRMDROP_API_KEY', 'FIRMDROP_API_URL']
        : ['FIRMDROP_API_URL', 'FIRMDROP_API_KEY'];
    throw new CliUsageError(
      `${set} is set but ${unset} is not: set both (the API address — us, eu, jp or a URL — and the key), or neither to use a stored account.`,
    );
  }
  const { baseUrl, region } = parseRegion(url, 'FIRMDROP_API_URL');
  return { baseUrl, region, host: new URL(baseUrl).host };
}

export function openContext(
  global: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
  engine: Partial<EngineSettings> = {},
): CliContext {
  const dataDir = resolve(global.dataDir ?? defaultDataDir(env));
  const creds = readEnvCredentials(env);
  // Read before anything else: a wrong path fails the command before it touches the journal.
  const extraCaPem = global.caFile === undefined ? undefined : readTrustedCa(global.caFile, '--ca');
  const app = openCommandLine({ dataDir, env, engine, extraCaPem, userAgent: USER_AGENT });
  if (app.recoveryNotice) printError(app.recoveryNotice);

  let envChoice: Promise<Account> | undefined;
  return {
    dataDir,
    app,
    env: creds,
    async selectAccount(name) {
      if (name !== undefined) {
        const found = app.accounts.byName(name);
        if (found?.isSandbox) throw builtInSandbox(found);
        if (found) return found;
        throw new CliUsageError(
          `there is no account named "${name}". ${accountsHint(app.accounts.list())}`,
        );
      }
      if (creds) {
        // A failed look-up (no network) is not kept: --wait asks again.
        envChoice ??= app.accountFromEnvironment(creds).catch((err: unknown) => {
          envChoice = undefined;
          throw err;
        });
        return envChoice;
      }
      const stored = app.accounts.list().filter(usable);
      if (stored.length === 1) return stored[0] as Account;
      if (stored.length === 0) {
        throw new FirmdropError(
          'not-found',
          'No account is set up. Add one with "firmdrop accounts add NAME --region us|eu|jp|URL" (the key goes to the OS keychain), or set FIRMDROP_API_URL and FIRMDROP_API_KEY.',
        );
      }
      throw new CliUsageError(
        `several accounts are set up: choose one with --account NAME. ${accountsHint(stored)}`,
      );
    },
    accountName: (id) => app.accountName(id),
    close: () => app.close(),
  };
}

/**
 * Accounts the CLI can pick by itself: not an environment pseudo-account, and not the desktop
 * app's built-in sandbox (its key lives with the app and its port changes at every app start).
 */
export function usable(a: Account): boolean {
  return !isEnvAccountId(a.id) && !a.isSandbox;
}

function builtInSandbox(a: Account): FirmdropError {
  return new FirmdropError(
    'invalid-input',
    `"${a.name}" is the desktop app's built-in sandbox, which only the app can use. For the command line, run "firmdrop sandbox" and add it with "firmdrop accounts add NAME --region <its URL>".`,
  );
}

function accountsHint(accounts: Account[]): string {
  const names = accounts.filter(usable).map((a) => `"${a.name}"`);
  return names.length ? `Accounts: ${names.join(', ')}.` : 'No accounts are stored yet.';
}
