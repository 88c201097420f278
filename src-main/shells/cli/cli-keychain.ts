import { createKeytarStore, keytarInHelperProcess, type SecretStore } from '../../secrets';

/**
 * The OS keychain for the command line: keytar runs in a helper process, so a keychain that hangs
 * cannot hold the CLI's exit (see secrets/keytar-process.ts). FIRMDROP_KEYCHAIN_SERVICE names
 * the keychain service (tests use their own).
 */
export function cliKeychain(env: NodeJS.ProcessEnv): SecretStore {
  return createKeytarStore({
    service: env.FIRMDROP_KEYCHAIN_SERVICE?.trim() || undefined,
    load: keytarInHelperProcess(),
  });
}
