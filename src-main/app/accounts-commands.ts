import type { AccountView, FirmdropApi } from './contract';
import { defaultAccountId } from './default-account';
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
  | 'accounts:default'
  | 'accounts:set-default'
>;

export function accountCommands(ctx: ServiceContext): AccountCommands {
  const { accounts } = ctx.rt;
  const hasKey = async (id: string) => (await ctx.secrets.get(id).catch(() => null)) !== null;
  const view = async (id: string, key?: boolean) =>
    accountView(accounts.get(id), key ?? (await hasKey(id)), defaultAccountId(ctx.rt) === id);
  const views = async (): Promise<AccountView[]> =>
    Promise.all(accounts.list().map((a) => view(a.id)));
  const changed = async () => ctx.hub.emit('accounts:changed', await views());

  return {
    'accounts:list': () => attempt(views),
    'accounts:add': (input) =>
      attempt(async () => {
        const a = await accounts.add(input);
        await changed();
        return view(a.id, true);
      }),
    'accounts:rename': ({ id, name }) =>
      attempt(async () => {
        accounts.rename(id, name);
        await changed();
        return view(id);
      }),
    'accounts:remove': ({ id }) =>
      attempt(async () => {
        await accounts.remove(id);
        await changed();
      }),
    'accounts:test': ({ id }) =>
      attempt(async () => {
        await accounts.test(id);
        await changed();
        return view(id, true);
      }),
    'accounts:quota': ({ id }) => attempt(() => accounts.quota(id)),
    'accounts:default': () => attempt(() => ({ accountId: defaultAccountId(ctx.rt) })),
    'accounts:set-default': ({ id }) =>
      attempt(async () => {
        // get() throws a clear "no such account" for an id that is gone.
        ctx.rt.settings.set('defaultAccountId', accounts.get(id).id);
        await changed();
        return views();
      }),
  };
}
