import type { FirmdropApi } from './contract';
import { historyExport } from './history-export';
import { attempt, type ServiceContext } from './service-context';

type LocalHistoryCommands = Pick<FirmdropApi, 'history:delete' | 'history:export'>;

/** The local history (the journal's finished uploads): exported, or deleted on purpose. */
export function localHistoryCommands(ctx: ServiceContext): LocalHistoryCommands {
  const { store, accounts } = ctx.rt;
  return {
    'history:delete': ({ accountId }) =>
      attempt(() => {
        if (accountId) accounts.get(accountId);
        const ids = store.uploads.deleteFinished(accountId ? { accountId } : {});
        for (const id of ids) ctx.hub.emit('upload:removed', { id });
        return { deleted: ids.length };
      }),
    'history:export': (query) =>
      attempt(() => {
        if (query.accountId) accounts.get(query.accountId);
        return historyExport(ctx.rt, query);
      }),
  };
}
