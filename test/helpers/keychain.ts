import { randomUUID } from 'node:crypto';
import { beforeEach } from 'vitest';
import { createKeytarStore, type KeychainStatus, type SecretStore } from '../../src-main/secrets';

/**
 * The real OS keychain (npm test runs in a private D-Bus session with a throw-away gnome-keyring),
 * under a service name of the test file's own. A keychain that does not work fails each test with
 * the reason; it is never skipped.
 */
export function useKeychain(): SecretStore {
  const store = createKeytarStore({ service: `Firmdrop-test-${randomUUID()}` });
  let probed: Promise<KeychainStatus> | undefined;
  beforeEach(async () => {
    probed ??= store.probe();
    const status = await probed;
    if (!status.ok) {
      throw new Error(
        `This test needs a working OS keychain; the probe said ${status.reason}: ${status.message}. ` +
          'Run it through `npm test`, which starts a private keyring.',
      );
    }
  });
  return store;
}
