/**
 * The adapters a shell picks when it composes the app: which keychain, and the private-file
 * modes of the data folder. Shells import the layers below only through the app service (lint),
 * so what a composition root chooses from secrets/ and store/ is named here, and nothing more.
 */
export {
  createKeytarStore,
  keytarInHelperProcess,
  type KeychainStatus,
  type SecretStore,
} from '../secrets';
export { ensurePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../store/private-files';
