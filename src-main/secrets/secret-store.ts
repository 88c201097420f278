/**
 * Where API keys live: the OS keychain (or, headless, the environment). Never the database,
 * never a log. Callers address a key by the local account id.
 */

export type KeychainFailure = 'unavailable' | 'locked' | 'timeout';

export type KeychainStatus = { ok: true } | { ok: false; reason: KeychainFailure; message: string };

export interface SecretStore {
  /**
   * The key stored for this account, or null. A locked Linux keyring also answers null, so null
   * means "no key" only once `probe()` has said the keychain works.
   */
  get(accountId: string): Promise<string | null>;
  /** Stores or replaces the key. */
  set(accountId: string, key: string): Promise<void>;
  /** True if a key was deleted. */
  delete(accountId: string): Promise<boolean>;
  /** Whether the keychain really stores and returns secrets right now (a write/read/delete test). */
  probe(): Promise<KeychainStatus>;
}

/** The keychain "service" every Firmdrop entry is filed under; the entry's account is our id. */
export const KEYCHAIN_SERVICE = 'Firmdrop';
