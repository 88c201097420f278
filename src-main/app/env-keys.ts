import { FirmdropError } from '../core/errors';
import {
  createEnvSecretStore,
  createKeytarStore,
  keytarInHelperProcess,
  type SecretStore,
} from '../secrets';

/**
 * Ids (and names) of the pseudo-accounts whose key comes from FIRMDROP_API_KEY:
 * `env:<host>:<Device Management account id>`, so uploads made with one key are never resumed
 * with another account's key.
 */
export const ENV_ACCOUNT_PREFIX = 'env:';

export function isEnvAccountId(id: string): boolean {
  return id.startsWith(ENV_ACCOUNT_PREFIX);
}

/**
 * How people see an account: its name, or for the environment's pseudo-account `env (<host>)`;
 * its id stays the stable key scripts match on (the Device Management account id is noise there).
 */
export function accountDisplay(nameOrId: string): string {
  if (!isEnvAccountId(nameOrId)) return nameOrId;
  const rest = nameOrId.slice(ENV_ACCOUNT_PREFIX.length);
  const cut = rest.lastIndexOf(':');
  return `env (${cut > 0 ? rest.slice(0, cut) : rest})`;
}

/**
 * Keys for the command line: the environment answers for the current `env:<host>` account, the OS keychain
 * for stored accounts. The keychain is created only when a stored account's key is asked for,
 * so a run with FIRMDROP_API_KEY never touches it (it may not exist on a CI machine).
 */
export function envAwareSecretStore(opts: {
  env: NodeJS.ProcessEnv;
  /** The environment key's account, once known (it takes a request to learn). */
  envAccountId: () => string | null;
  keychain: () => SecretStore;
}): SecretStore {
  let keychain: SecretStore | undefined;
  const kc = () => (keychain ??= opts.keychain());
  const envOnly = (id: string) =>
    new FirmdropError(
      'unauthorized',
      `The account "${accountDisplay(id)}" takes its key from the environment: set FIRMDROP_API_URL and FIRMDROP_API_KEY to that account's API address and key to use it.`,
    );

  return {
    async get(id) {
      if (!isEnvAccountId(id)) return kc().get(id);
      if (id !== opts.envAccountId()) throw envOnly(id);
      return createEnvSecretStore({ env: opts.env, accountId: id }).get(id);
    },
    async set(id, key) {
      if (!isEnvAccountId(id)) return kc().set(id, key);
      throw envOnly(id);
    },
    // Nothing is stored for an environment account, so there is nothing to delete.
    delete: async (id) => (isEnvAccountId(id) ? false : kc().delete(id)),
    probe: () => kc().probe(),
  };
}

/**
 * The OS keychain for the command line: keytar runs in a helper process, so a keychain that hangs
 * cannot hold the CLI's exit (see secrets/keytar-process.ts). FIRMDROP_KEYCHAIN_SERVICE names
 * the keychain service (tests use their own).
 */
export function helperProcessKeychain(env: NodeJS.ProcessEnv): SecretStore {
  return createKeytarStore({
    service: env.FIRMDROP_KEYCHAIN_SERVICE?.trim() || undefined,
    load: keytarInHelperProcess(),
  });
}
