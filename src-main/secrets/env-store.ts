import { KeychainError } from './keychain-errors';
import type { KeychainStatus, SecretStore } from './secret-store';

/** The pseudo-account the CLI uses when its key comes from the environment. */
export const ENV_ACCOUNT_ID = 'env';
export const ENV_KEY_VARIABLE = 'FIRMDROP_API_KEY';

export interface EnvSecretStoreOptions {
  /** Read at every call, so a changed environment is seen. Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  variable?: string;
  accountId?: string;
}

/**
 * Headless use (CI, scripts): the key comes from an environment variable, for one pseudo-account.
 * Read-only: it never writes anything anywhere.
 */
export function createEnvSecretStore(options: EnvSecretStoreOptions = {}): SecretStore {
  const env = options.env ?? process.env;
  const variable = options.variable ?? ENV_KEY_VARIABLE;
  const accountId = options.accountId ?? ENV_ACCOUNT_ID;
  const read = () => {
    const value = env[variable]?.trim();
    return value ? value : null;
  };
  const readOnly = (what: string) =>
    new KeychainError(
      'unavailable',
      `Cannot ${what} an API key here: in this mode the key comes from ${variable} and nothing is ` +
        `stored. Change ${variable} in the environment instead, or run the desktop app to keep ` +
        'keys in the OS keychain.',
    );

  return {
    get: async (id) => (id === accountId ? read() : null),
    set: async () => {
      throw readOnly('store');
    },
    delete: async () => {
      throw readOnly('delete');
    },
    probe: async (): Promise<KeychainStatus> =>
      read() !== null
        ? { ok: true }
        : {
            ok: false,
            reason: 'unavailable',
            message: `${variable} is not set (or is empty). Set it to your Device Management API key.`,
          },
  };
}
