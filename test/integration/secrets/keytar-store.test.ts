import { randomUUID } from 'node:crypto';
import keytar from 'keytar';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, createKeytarStore } from '../../../src-main/secrets';
import type { KeychainStatus } from '../../../src-main/secrets';

// The real Secret Service of the session these tests run in (npm test starts a private D-Bus
// session with a throw-away, unlocked gnome-keyring). Entries go under a service name of their
// own, so even on a developer's own keyring nothing of theirs is read or changed.
const service = `Firmdrop-test-${randomUUID()}`;
const store = createKeytarStore({ service });
const KEY = 'ak_0123456789abcdef0123456789abcdef0123456789abcdefSAMPLE';

const HOW_TO_RUN =
  'run them through `npm test`, or wrap vitest in a private session: KR=$(mktemp -d); ' +
  'mkdir -m 700 $KR/run $KR/data; env XDG_RUNTIME_DIR=$KR/run XDG_DATA_HOME=$KR/data ' +
  "dbus-run-session -- sh -c 'printf %s pw | gnome-keyring-daemon --unlock " +
  "--components=secrets >/dev/null && npx vitest run test/integration/secrets'";

let probed: Promise<KeychainStatus> | undefined;

// Per test, not beforeAll: a failing beforeAll makes vitest report the tests as skipped, and these
// must never be skipped. With FIRMDROP_KEYCHAIN_REQUIRED=1 (npm test) or without, a keychain that
// does not work fails every test here, with the reason.
beforeEach(async () => {
  probed ??= store.probe();
  const status = await probed;
  if (!status.ok) {
    throw new Error(
      `The keychain tests need a working OS keychain, and the probe said: ${status.reason}: ` +
        `${status.message}\nTo ${HOW_TO_RUN}` +
        (process.env.FIRMDROP_KEYCHAIN_REQUIRED === '1'
          ? ''
          : ' (FIRMDROP_KEYCHAIN_REQUIRED is not set; it would not change this).'),
    );
  }
});

afterAll(async () => {
  if (!(await probed)?.ok) return;
  // Leave the keyring as it was: nothing of ours may remain.
  for (const { account } of await keytar.findCredentials(service)) {
    await keytar.deletePassword(service, account);
  }
});

describe('KeytarStore on the real keychain', () => {
  it('set, get, overwrite, delete', async () => {
    const id = randomUUID();
    expect(await store.get(id)).toBeNull();
    await store.set(id, KEY);
    expect(await store.get(id)).toBe(KEY);
    await store.set(id, `${KEY}-rotated`);
    expect(await store.get(id)).toBe(`${KEY}-rotated`);
    expect(await store.delete(id)).toBe(true);
    expect(await store.get(id)).toBeNull();
    expect(await store.delete(id)).toBe(false);
  });

  it('keeps keys of different accounts apart', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await store.set(a, 'key-a');
    await store.set(b, 'key-b');
    expect([await store.get(a), await store.get(b)]).toEqual(['key-a', 'key-b']);
    await store.delete(a);
    expect([await store.get(a), await store.get(b)]).toEqual([null, 'key-b']);
    await store.delete(b);
  });

  it('round-trips long and non-ASCII values exactly', async () => {
    const id = randomUUID();
    const value = `ak_${'x'.repeat(4000)}-ü-✓-\u{1F511}`;
    await store.set(id, value);
    expect(await store.get(id)).toBe(value);
    await store.delete(id);
  });

  it('files entries under the service "Firmdrop" with our account id by default', async () => {
    const id = `test-${randomUUID()}`;
    const real = createKeytarStore();
    try {
      await real.set(id, KEY);
      expect(KEYCHAIN_SERVICE).toBe('Firmdrop');
      expect(await keytar.getPassword('Firmdrop', id)).toBe(KEY);
    } finally {
      await real.delete(id);
    }
    expect(await keytar.getPassword('Firmdrop', id)).toBeNull();
  });

  it('probe reports ok and leaves no probe entry behind', async () => {
    expect(await store.probe()).toEqual({ ok: true });
    expect(await keytar.findCredentials(service)).toEqual([]);
  });

  it('rejects empty account ids and keys before touching the keychain', async () => {
    await expect(store.set('', KEY)).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(store.set(randomUUID(), '')).rejects.toThrow(/API key is empty/);
    await expect(store.get('')).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(store.delete('')).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
