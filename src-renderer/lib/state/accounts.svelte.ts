import type { AccountView, AddAccountInput, Quota } from '../../../src-main/app/contract';
import { ApiError, call, messageOf } from '../api';

export type QuotaState =
  { kind: 'loading' } | { kind: 'ok'; quota: Quota } | { kind: 'error'; message: string };

export interface FormProblem {
  field: string | null;
  message: string;
}

export class AccountsState {
  list = $state<AccountView[]>([]);
  loaded = $state(false);
  loadError = $state<string | null>(null);
  quotas = $state<Record<string, QuotaState>>({});
  /** What each account is busy with, for disabling its buttons and saying so. */
  busy = $state<Record<string, 'testing' | 'renaming' | 'removing'>>({});

  sandbox = $derived(this.list.find((a) => a.isSandbox) ?? null);
  /**
   * Where new drafts go: the service's default (the account the user marked, or the only one).
   * '' when there are several and none is marked: the user chooses on the Upload screen.
   */
  defaultId = $derived(this.list.find((a) => a.isDefault)?.id ?? '');

  byId(id: string): AccountView | undefined {
    return this.list.find((a) => a.id === id);
  }

  nameOf(id: string): string {
    return this.byId(id)?.name ?? 'Removed account';
  }

  async load(): Promise<void> {
    try {
      this.replace(await call('accounts:list'));
      this.loadError = null;
    } catch (err) {
      this.loadError = messageOf(err);
    }
  }

  replace(list: AccountView[]): void {
    this.list = list;
    this.loaded = true;
  }

  /** Marks where new drafts go (Upload screen chooser, Accounts → Make default). */
  async setDefault(id: string): Promise<string | null> {
    try {
      this.replace(await call('accounts:set-default', { id }));
      return null;
    } catch (err) {
      return messageOf(err);
    }
  }

  /** The account's name as the screens show it. */
  labelOf(id: string): string {
    const a = this.byId(id);
    return a?.isSandbox ? 'Sandbox (local)' : (a?.name ?? 'Removed account');
  }

  async refreshQuota(id: string): Promise<void> {
    this.quotas[id] = { kind: 'loading' };
    try {
      this.quotas[id] = { kind: 'ok', quota: await call('accounts:quota', { id }) };
    } catch (err) {
      this.quotas[id] = { kind: 'error', message: messageOf(err) };
    }
  }

  refreshAllQuotas(): Promise<void[]> {
    return Promise.all(this.list.map((a) => this.refreshQuota(a.id)));
  }

  /** Resolves to null on success, or the problem to show beside the form. */
  async add(input: AddAccountInput): Promise<FormProblem | null> {
    try {
      const added = await call('accounts:add', input);
      this.#upsert(added);
      void this.refreshQuota(added.id);
      return null;
    } catch (err) {
      return {
        field: err instanceof ApiError ? (err.field ?? null) : null,
        message: messageOf(err),
      };
    }
  }

  /** Resolves to a sentence saying how the test went. */
  async test(id: string): Promise<{ ok: boolean; message: string }> {
    return this.#busyWith(id, 'testing', async () => {
      try {
        const account = await call('accounts:test', { id });
        this.#upsert(account);
        void this.refreshQuota(id);
        const who = account.displayName ? ` as ${account.displayName}` : '';
        return { ok: true, message: `Connected to ${account.name}${who}. The key works.` };
      } catch (err) {
        return { ok: false, message: messageOf(err) };
      }
    });
  }

  async rename(id: string, name: string): Promise<string | null> {
    return this.#busyWith(id, 'renaming', async () => {
      try {
        this.#upsert(await call('accounts:rename', { id, name }));
        return null;
      } catch (err) {
        return messageOf(err);
      }
    });
  }

  async remove(id: string): Promise<string | null> {
    return this.#busyWith(id, 'removing', async () => {
      try {
        await call('accounts:remove', { id });
        this.list = this.list.filter((a) => a.id !== id);
        delete this.quotas[id];
        return null;
      } catch (err) {
        return messageOf(err);
      }
    });
  }

  #upsert(account: AccountView): void {
    const at = this.list.findIndex((a) => a.id === account.id);
    if (at === -1) this.list.push(account);
    else this.list[at] = account;
  }

  async #busyWith<T>(
    id: string,
    what: 'testing' | 'renaming' | 'removing',
    fn: () => Promise<T>,
  ): Promise<T> {
    this.busy[id] = what;
    try {
      return await fn();
    } finally {
      delete this.busy[id];
    }
  }
}

export const accounts = new AccountsState();
