import type { SecretStore } from '../../src-main/secrets';

/** A keychain that keeps its entries in a Map: for tests about something other than the keychain. */
export function memorySecrets(): SecretStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (id) => entries.get(id) ?? null,
    set: async (id, key) => void entries.set(id, key),
    delete: async (id) => entries.delete(id),
    probe: async () => ({ ok: true }),
  };
}
