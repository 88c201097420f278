import { resolve } from 'node:path';
import { isFirmdropError } from '../../core/errors';
import { resolveBaseUrl, type RegionPresetKey } from '../../app/base-url';
import {
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
import { chooseAccount, namedAccount } from './choose-account';
import { printError } from './output';
import { CliUsageError } from './usage';

export type { EnvCredentials };

export interface CliContext {
  dataDir: string;
  /** The application service, as the command line uses it. */
  app: CliApp;
  env: EnvCredentials | null;
  /** The account to use: see choose-account.ts for the order (--account NAME first). */
  selectAccount(name: string | undefined): Promise<Account>;
  /** The account named by --account NAME or FIRMDROP_ACCOUNT, or null when neither is given. */
  namedAccount(name: string | undefined): Account | null;
  /** The environment credentials' account (asked of the service once), or null when unset. */
  envAccount(): Promise<Account | null>;
  /**
   * The image names the command is about to upload: with FIRMDROP_API_KEY their pre-flight
   * look-ups go out beside the `accounts/me` that identifies the key (see early-answers.ts).
   */
  expectUploads(names: readonly string[]): void;
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
  let expected: readonly string[] = [];
  const fromEnvironment = (c: EnvCredentials) => (): Promise<Account> =>
    // A failed look-up (no network) is not kept: --wait asks again.
    (envChoice ??= app.accountFromEnvironment(c, { names: expected }).catch((err: unknown) => {
      envChoice = undefined;
      throw err;
    }));
  const choice = (flag: string | undefined) => ({
    app,
    flag,
    variable: env.FIRMDROP_ACCOUNT?.trim() || undefined,
    fromEnvironment: creds ? fromEnvironment(creds) : null,
  });
  return {
    dataDir,
    app,
    env: creds,
    selectAccount: (name) => chooseAccount(choice(name)),
    expectUploads: (names) => {
      expected = names;
    },
    namedAccount: (name) => namedAccount(choice(name)),
    envAccount: async () => (creds ? fromEnvironment(creds)() : null),
    accountName: (id) => app.accountName(id),
    close: () => app.close(),
  };
}
