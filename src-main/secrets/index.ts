export { KEYCHAIN_SERVICE } from './secret-store';
export type { KeychainFailure, KeychainStatus, SecretStore } from './secret-store';
export { DEFAULT_KEYCHAIN_TIMEOUT_MS, createKeytarStore } from './keytar-store';
export type { KeytarApi, KeytarStoreOptions } from './keytar-store';
export { keytarInHelperProcess } from './keytar-process';
export { ENV_ACCOUNT_ID, ENV_KEY_VARIABLE, createEnvSecretStore } from './env-store';
export type { EnvSecretStoreOptions } from './env-store';
export {
  KEYCHAIN_MESSAGES,
  KeychainError,
  classifyKeychainError,
  keytarLoadError,
  redact,
} from './keychain-errors';
export { withTimeout } from './with-timeout';
