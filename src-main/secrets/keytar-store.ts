import { randomBytes, randomUUID } from 'node:crypto';
import { FirmdropError } from '../core/errors';
import {
  KEYCHAIN_MESSAGES,
  KeychainError,
  classifyKeychainError,
  keytarLoadError,
} from './keychain-errors';
import { KEYCHAIN_SERVICE } from './secret-store';
import type { KeychainStatus, SecretStore } from './secret-store';
import { withTimeout } from './with-timeout';

/** The three keytar calls we use (keytar 7.9's own signatures). */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeytarStoreOptions {
  /** Keychain service name; tests use their own so they never touch real entries. */
  service?: string;
  /** Per call. A locked keychain with a display can hang forever behind its unlock prompt. */
  timeoutMs?: number;
  /** How keytar is obtained; by default `import('keytar')` at the first call. */
  load?: () => Promise<KeytarApi>;
}

export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 5000;

/**
 * Loaded at first use, not at import: keytar's native module needs libsecret, and a process
 * without it (a headless CLI run with FIRMDROP_API_KEY) must still start.
 */
async function importKeytar(): Promise<KeytarApi> {
  const mod: KeytarApi & { default?: KeytarApi } = await import('keytar');
  // keytar is CommonJS: its functions arrive as the default export under ESM interop.
  return mod.default ?? mod;
}

function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new FirmdropError('invalid-input', `${what} must be a non-empty string.`);
  }
  return value;
}

/** The OS keychain through keytar: every call bounded by a timeout, every failure classified. */
export function createKeytarStore(options: KeytarStoreOptions = {}): SecretStore {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
  const load = options.load ?? importKeytar;
  let keytar: KeytarApi | undefined;
  // A call that timed out and has not settled yet. Native keytar calls occupy a libuv pool
  // thread (shared with fs and crypto) until they return, so while one is stuck we fail new
  // calls at once instead of stacking more stuck threads behind the same unlock prompt.
  let stuck: Promise<unknown> | undefined;

  const timedOut = () => new KeychainError('timeout', KEYCHAIN_MESSAGES.timeout(timeoutMs));

  async function call<T>(op: (k: KeytarApi) => Promise<T>, secret?: string): Promise<T> {
    if (stuck) throw timedOut();
    if (!keytar) {
      try {
        keytar = await load();
      } catch (err) {
        throw keytarLoadError(err, secret);
      }
    }
    const api = keytar;
    const pending = Promise.resolve().then(() => op(api));
    try {
      return await withTimeout(pending, timeoutMs, timedOut);
    } catch (err) {
      if (err instanceof KeychainError && err.reason === 'timeout') {
        const self: Promise<unknown> = pending.then(
          () => undefined,
          () => undefined,
        );
        stuck = self;
        void self.then(() => {
          if (stuck === self) stuck = undefined;
        });
      }
      throw classifyKeychainError(err, secret);
    }
  }

  return {
    async get(accountId) {
      requireText(accountId, 'The account id');
      return call((k) => k.getPassword(service, accountId));
    },
    async set(accountId, key) {
      requireText(accountId, 'The account id');
      if (typeof key !== 'string' || key.length === 0) {
        throw new FirmdropError('invalid-input', 'The API key is empty: paste the whole key.');
      }
      return call((k) => k.setPassword(service, accountId, key), key);
    },
    async delete(accountId) {
      requireText(accountId, 'The account id');
      return call((k) => k.deletePassword(service, accountId));
    },
    async probe(): Promise<KeychainStatus> {
      // `get` alone proves nothing: a locked keyring answers null. Only a round trip does.
      const probeId = `firmdrop-probe-${randomUUID()}`;
      const value = randomBytes(18).toString('base64');
      try {
        await call((k) => k.setPassword(service, probeId, value), value);
        const back = await call((k) => k.getPassword(service, probeId), value);
        await call((k) => k.deletePassword(service, probeId), value);
        if (back !== value) {
          return { ok: false, reason: 'unavailable', message: KEYCHAIN_MESSAGES.other };
        }
        return { ok: true };
      } catch (err) {
        const e = classifyKeychainError(err, value);
        return { ok: false, reason: e.reason, message: e.message };
      }
    },
  };
}
