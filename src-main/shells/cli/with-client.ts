import { LIST_LIMIT_MAX, clampListLimit } from '../../core/limits';
import type { DmClient } from '../../dm/client';
import type { ListPage } from '../../dm/schemas';
import type { Account } from '../../store';
import type { GlobalOptions } from './args';
import { openContext } from './context';

/** Runs `fn` with the chosen account's Device Management client, then closes everything. */
export async function withClient<T>(
  global: GlobalOptions,
  accountName: string | undefined,
  fn: (dm: DmClient, account: Account) => Promise<T>,
): Promise<T> {
  const ctx = openContext(global);
  try {
    const account = await ctx.selectAccount(accountName);
    return await fn(await ctx.runtime.accounts.clientFor(account.id), account);
  } finally {
    await ctx.close();
  }
}

/** Up to `max` items of a list, newest first, paged as the service allows (`limit` 2–1000). */
export async function collect<T extends { id: string | number }>(
  dm: DmClient,
  list: (q: { limit: number; order: 'DESC'; after?: string }) => Promise<ListPage<T>>,
  max: number | undefined,
): Promise<T[]> {
  const out: T[] = [];
  const limit = clampListLimit(max ?? LIST_LIMIT_MAX);
  for await (const item of dm.paginate(list, { limit, order: 'DESC' as const })) {
    out.push(item);
    if (max !== undefined && out.length >= max) break;
  }
  return out;
}
