import { FirmdropError } from '../../core/errors';
import type { Account } from '../../app/command-line';
import { usable } from './choose-account';
import type { CliContext } from './context';
import type { StopWatch } from './signals';
import { CliUsageError } from './usage';
import { selectAccountWaiting } from './wait-account';

/**
 * The accounts `firmdrop upload` sends to: `--account a,b,c` (each by name, in that order),
 * `--all-accounts` (every stored account the CLI may pick by itself, never the desktop app's
 * built-in sandbox), else the one account the CLI chooses as for any command.
 */
export async function targetAccounts(
  ctx: CliContext,
  o: {
    account: string | undefined;
    all: boolean;
    waitMs: number | null | undefined;
    stop: StopWatch;
    quiet: boolean;
  },
): Promise<Account[]> {
  if (o.all && o.account !== undefined) {
    throw new CliUsageError('use --account NAME[,NAME...] or --all-accounts, not both.');
  }
  if (o.all) {
    const all = ctx.app.accounts.list().filter(usable);
    if (all.length === 0) {
      throw new FirmdropError(
        'not-found',
        '--all-accounts found no stored account. Add one with "firmdrop accounts add NAME --region us|eu|jp|URL".',
      );
    }
    return all;
  }
  const names = accountNames(o.account);
  if (!names || names.length === 1) {
    return [await selectAccountWaiting(ctx, names?.[0], o)];
  }
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new CliUsageError(`--account names "${twice}" twice.`);
  const accounts: Account[] = [];
  for (const name of names) accounts.push(await ctx.selectAccount(name));
  return accounts;
}

/** `--account a,b,c` as names (undefined when not given); an empty name is a usage error. */
export function accountNames(flag: string | undefined): string[] | undefined {
  const names = flag?.split(',').map((n) => n.trim());
  if (names?.some((n) => n === '')) {
    throw new CliUsageError(
      `--account takes account names separated by commas, with none empty: "${flag}".`,
    );
  }
  return names;
}
