import { FirmdropError } from '../../core/errors';
import { isEnvAccountId, type Account, type CommandLineApp } from '../../app/command-line';
import { CliUsageError } from './usage';

/**
 * Which account a command uses when it names none, first match wins:
 *   1. --account NAME
 *   2. FIRMDROP_ACCOUNT=NAME (a stored account; a name for a shell session or a CI job)
 *   3. FIRMDROP_API_URL + FIRMDROP_API_KEY (credentials from the environment, nothing stored)
 *   4. the stored default (`firmdrop accounts use NAME`, or the app's "Make default")
 *   5. the only stored account
 * A name the user spelled out (1, 2) beats credentials merely present in the environment (3),
 * which in turn beat a choice stored once and perhaps long ago (4).
 */
export interface AccountChoice {
  app: CommandLineApp;
  /** --account, when given. */
  flag: string | undefined;
  /** FIRMDROP_ACCOUNT, trimmed; undefined when unset or empty. */
  variable: string | undefined;
  /** The environment credentials' account, when FIRMDROP_API_URL/KEY are set. */
  fromEnvironment: (() => Promise<Account>) | null;
}

export async function chooseAccount(c: AccountChoice): Promise<Account> {
  const named = namedAccount(c);
  if (named) return named;
  if (c.fromEnvironment) return c.fromEnvironment();
  return storedDefault(c.app);
}

/** The account the user named (--account, else FIRMDROP_ACCOUNT), or null when neither is set. */
export function namedAccount(c: AccountChoice): Account | null {
  if (c.flag !== undefined) return byName(c.app, c.flag, null);
  if (c.variable !== undefined) return byName(c.app, c.variable, 'FIRMDROP_ACCOUNT');
  return null;
}

function byName(app: CommandLineApp, name: string, variable: string | null): Account {
  const found = app.accounts.byName(name);
  if (found?.isSandbox) throw builtInSandbox(found);
  if (found) return found;
  const hint = accountsHint(app.accounts.list());
  throw new CliUsageError(
    variable === null
      ? `there is no account named "${name}". ${hint}`
      : `${variable} is set to "${name}", but there is no account by that name. ${hint} Set ${variable} to one of them, or unset it.`,
  );
}

/** The stored default when the command line can use it, else the only usable account. */
function storedDefault(app: CommandLineApp): Account {
  const all = app.accounts.list();
  const marked = all.find((a) => a.id === app.defaultAccountId());
  if (marked && usable(marked)) return marked;
  const stored = all.filter(usable);
  if (stored.length === 1) return stored[0] as Account;
  if (stored.length === 0) {
    throw new FirmdropError(
      'not-found',
      'No account is set up. Add one with "firmdrop accounts add NAME --region us|eu|jp|URL" (the key goes to the OS keychain), or set FIRMDROP_API_URL and FIRMDROP_API_KEY.',
    );
  }
  throw new CliUsageError(
    `several accounts are set up and none is the default: choose one with --account NAME, or make one the default with "firmdrop accounts use NAME". ${accountsHint(stored)}`,
  );
}

/**
 * Accounts the CLI can pick by itself: not an environment pseudo-account, and not the desktop
 * app's built-in sandbox (its key lives with the app and its port changes at every app start).
 */
export function usable(a: Account): boolean {
  return !isEnvAccountId(a.id) && !a.isSandbox;
}

export function builtInSandbox(a: Account): FirmdropError {
  return new FirmdropError(
    'invalid-input',
    `"${a.name}" is the desktop app's built-in sandbox, which only the app can use. For the command line, run "firmdrop sandbox" and add it with "firmdrop accounts add NAME --region <its URL>".`,
  );
}

function accountsHint(accounts: Account[]): string {
  const names = accounts.filter(usable).map((a) => `"${a.name}"`);
  return names.length ? `Accounts: ${names.join(', ')}.` : 'No accounts are stored yet.';
}
