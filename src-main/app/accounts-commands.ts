import type { AccountView, FirmdropApi } from './contract';
import { attempt, type ServiceContext } from './service-context';
import { accountView } from './views';

type AccountCommands = Pick<
  FirmdropApi,
  | 'accounts:list'
  | 'accounts:add'
  | 'accounts:rename'
  | 'accounts:remove'
  | 'accounts:test'
  | 'accounts:quota'
>;

export function accountCommands(ctx: ServiceContext): AccountCommands {
  const { accounts } = ctx.rt;
  const hasKey = async (id: string) => (await ctx.secrets.get(id).catch(() => null)) !== null;
  const views = async (): Promise<AccountView[]> =>
    Promise.all(accounts.list().map(async (a) => accountView(a, await hasKey(a.id))));
  const changed = async () => ctx.hub.emit('accounts:changed', await views());

  return {
    'accounts:list': () => attempt(views),
    'accounts:add': (input) =>
      attempt(async () => {
        const a = await accounts.add(input);
        await changed();
        return accountView(a, true);
      }),
    'accounts:rename': ({ id, name }) =>
      attempt(async () => {
        const a = accounts.rename(id, name);
        await changed();
        return accountView(a, await hasKey(id));
      }),
    'accounts:remove': ({ id }) =>
      attempt(async () => {
        await accounts.remove(id);
        await changed();
      }),
    'accounts:test': ({ id }) =>
      attempt(async () => {
        const a = await accounts.test(id);
        await changed();
        return accountView(a, true);
      }),
    'accounts:quota': ({ id }) => attempt(() => accounts.quota(id)),
  };
}
