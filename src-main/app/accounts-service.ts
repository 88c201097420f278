import { FirmdropError } from '../core/errors';
import { imageQuotaForTier } from '../core/limits';
import type { DmClient } from '../dm/client';
import { isDmApiError, isDmNetworkError } from '../dm/errors';
import type { RegionPresetKey } from '../dm/regions';
import type { SecretStore } from '../secrets';
import type { Account, Store } from '../store';
import { resolveBaseUrl } from './base-url';

export interface AddAccount {
  name: string;
  region: RegionPresetKey | 'custom';
  baseUrl?: string | undefined;
  apiKey: string;
  isSandbox?: boolean;
}

/** What else must happen when accounts come and go (the default account: see default-account.ts). */
export interface AccountHooks {
  beforeAdd(): void;
  afterRemove(id: string): void;
}

/** Async: the proxy's login, when there is one, comes from the keychain. */
export type ClientFactory = (baseUrl: string, apiKey: string) => Promise<DmClient>;

/**
 * Accounts: the rows live in SQLite (no secrets), the keys in the keychain under the account's id.
 * Adding one proves the key against the region first (GET /v3/accounts/me), so a wrong key or a
 * wrong region is caught at once, with a message that says which.
 */
export class AccountsService {
  private readonly clients = new Map<string, DmClient>();

  constructor(
    private readonly store: Store,
    private readonly secrets: SecretStore,
    private readonly makeClient: ClientFactory,
    private readonly hooks: AccountHooks = { beforeAdd: () => {}, afterRemove: () => {} },
  ) {}

  list(): Account[] {
    return this.store.accounts.list();
  }

  get(id: string): Account {
    const a = this.store.accounts.get(id);
    if (!a)
      throw new FirmdropError(
        'not-found',
        'That account no longer exists. Choose another account.',
      );
    return a;
  }

  byName(name: string): Account | undefined {
    return this.store.accounts.getByName(name);
  }

  async add(input: AddAccount): Promise<Account> {
    const name = input.name.trim();
    if (name === '' || name.length > 100) {
      throw new FirmdropError(
        'invalid-input',
        'Give the account a name of 1 to 100 characters, e.g. "Production EU".',
      );
    }
    if (this.store.accounts.getByName(name)) {
      throw new FirmdropError(
        'name-taken',
        `An account named "${name}" already exists. Choose another name.`,
      );
    }
    const key = input.apiKey.trim();
    if (key === '') throw new FirmdropError('invalid-input', 'Paste the API key for this account.');
    const { baseUrl, region } = resolveBaseUrl(input.region, input.baseUrl);
    const me = await this.probeKey(baseUrl, key);
    this.hooks.beforeAdd();
    const account = this.store.accounts.create({
      name,
      baseUrl,
      region,
      dmAccountId: me.id,
      displayName: me.display_name,
      tier: me.tier,
      isSandbox: input.isSandbox ?? false,
    });
    try {
      await this.secrets.set(account.id, key);
    } catch (err) {
      // No key, no account: a row whose key could not be kept would fail every upload.
      this.store.accounts.delete(account.id);
      throw err;
    }
    return account;
  }

  rename(id: string, name: string): Account {
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.length > 100) {
      throw new FirmdropError('invalid-input', 'Give the account a name of 1 to 100 characters.');
    }
    this.get(id);
    return this.store.accounts.update(id, { name: trimmed });
  }

  /**
   * The built-in sandbox stays. Otherwise the key leaves the keychain first and the row only after
   * that succeeded: a keychain that fails or times out leaves the account as it was, never a row
   * gone with its key orphaned in the keychain.
   */
  async remove(id: string): Promise<void> {
    const account = this.get(id);
    if (account.isSandbox) {
      throw new FirmdropError(
        'invalid-input',
        `"${account.name}" is the built-in local sandbox account and cannot be removed. Add your own account next to it.`,
      );
    }
    // A refusal (unfinished uploads) must come before the key is gone.
    this.store.accounts.assertRemovable(id);
    await this.dropClient(id);
    await this.secrets.delete(id);
    this.store.accounts.delete(id);
    this.hooks.afterRemove(id);
  }

  /** Checks the stored key still works and refreshes tier and display name. */
  async test(id: string): Promise<Account> {
    const a = this.get(id);
    const me = await (await this.clientFor(id)).getMyAccount();
    return this.store.accounts.update(a.id, {
      dmAccountId: me.id,
      displayName: me.display_name,
      tier: me.tier,
    });
  }

  /** Images used and allowed (10 free, 1,000 commercial), counted with include=total_count. */
  async quota(id: string): Promise<{ used: number; limit: number }> {
    const a = this.get(id);
    const used = await (await this.clientFor(id)).countImages();
    return { used, limit: imageQuotaForTier(a.tier).limit };
  }

  /** A keep-alive client for the account; the key is fetched from the keychain, never kept elsewhere. */
  async clientFor(id: string): Promise<DmClient> {
    const cached = this.clients.get(id);
    if (cached) return cached;
    const account = this.get(id);
    const key = await this.secrets.get(id);
    if (key === null) {
      throw new FirmdropError(
        'unauthorized',
        `No API key is stored for "${account.name}" (the keychain entry is missing, or the keychain is locked). Unlock the keychain, or remove the account and add it again.`,
      );
    }
    const client = await this.makeClient(account.baseUrl, key);
    // Two callers may have built one at once: keep the first, close the other.
    const raced = this.clients.get(id);
    if (raced) {
      await client.close();
      return raced;
    }
    this.clients.set(id, client);
    return client;
  }

  /** Forget cached clients (after a proxy change, or at shutdown). */
  async closeClients(): Promise<void> {
    const all = [...this.clients.keys()];
    await Promise.all(all.map((id) => this.dropClient(id)));
  }

  private async dropClient(id: string): Promise<void> {
    const c = this.clients.get(id);
    this.clients.delete(id);
    await c?.close();
  }

  private async probeKey(baseUrl: string, key: string) {
    const client = await this.makeClient(baseUrl, key);
    try {
      return await client.getMyAccount();
    } catch (err) {
      const host = new URL(baseUrl).host;
      if (isDmApiError(err, 401)) {
        throw new FirmdropError(
          'unauthorized',
          `${host} refused this API key. Check that the key is complete and that it belongs to this region: a key works only in the region where it was created.`,
          { cause: err },
        );
      }
      if (isDmNetworkError(err)) {
        throw new FirmdropError(
          'network',
          // The reason alone: the whole message would repeat the host and its own advice.
          `${host} could not be reached: ${err.reason.replace(/\.$/u, '')}. Check the region or URL, the network and any proxy setting.`,
          { cause: err },
        );
      }
      throw err;
    } finally {
      await client.close();
    }
  }
}
