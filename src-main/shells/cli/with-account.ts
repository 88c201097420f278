import type { Account, CommandLineApp } from '../../app/command-line';
import type { GlobalOptions } from './args';
import { openContext } from './context';

/** Runs `fn` with the app service and the chosen account, then closes everything. */
export async function withAccount<T>(
  global: GlobalOptions,
  accountName: string | undefined,
  fn: (app: CommandLineApp, account: Account) => Promise<T>,
): Promise<T> {
  const ctx = openContext(global);
  try {
    return await fn(ctx.app, await ctx.selectAccount(accountName));
  } finally {
    await ctx.close();
  }
}
