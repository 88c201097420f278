import { describe, expect, it } from 'vitest';
import { KEYCHAIN_MESSAGES, createKeytarStore } from '../../../src-main/secrets';
import type { KeytarApi } from '../../../src-main/secrets';

// Decisions of the store that a real keychain cannot trigger on demand: a native module that
// fails to load, a raw error that quotes the key, and the exact moment a stuck call returns.
// (The real failure modes, timeout included, are in test/integration/secrets/failure-modes.)

const KEY = 'ak_unit_0123456789abcdef';

function scripted(overrides: Partial<KeytarApi>): KeytarApi {
  const fail = () => Promise.reject(new Error('not scripted'));
  return { getPassword: fail, setPassword: fail, deletePassword: fail, ...overrides };
}

describe('KeytarStore decisions', () => {
  it('a keytar that cannot load (no libsecret) is "unavailable", and only at first use', async () => {
    let loads = 0;
    const store = createKeytarStore({
      load: async () => {
        loads++;
        throw new Error(
          'libsecret-1.so.0: cannot open shared object file: No such file or directory',
        );
      },
    });
    expect(loads).toBe(0);
    await expect(store.get('a')).rejects.toMatchObject({
      code: 'keychain-unavailable',
      reason: 'unavailable',
      message: KEYCHAIN_MESSAGES.noModule,
    });
    expect(await store.probe()).toEqual({
      ok: false,
      reason: 'unavailable',
      message: KEYCHAIN_MESSAGES.noModule,
    });
  });

  it("keytar missing from node_modules (import() of it fails) is 'not installed'", async () => {
    // A real failure of Node's loader: a package that is not installed, as keytar is after npm
    // dropped it. The name is in a variable so that the bundler leaves the import to run time.
    const absent = 'keytar-not-installed-here';
    const store = createKeytarStore({ load: () => import(absent) });
    expect(await store.probe()).toEqual({
      ok: false,
      reason: 'unavailable',
      message: KEYCHAIN_MESSAGES.notInstalled,
    });
  });

  it('the key never reaches an error, even when the native error quotes it', async () => {
    const store = createKeytarStore({
      load: async () =>
        scripted({
          setPassword: async (_s, _a, password) =>
            Promise.reject(new Error(`bad item ${password}`)),
        }),
    });
    const err = await store.set('a', KEY).then(
      () => new Error('expected a rejection'),
      (e: unknown) => e as Error,
    );
    expect(err.message).not.toContain(KEY);
    expect((err.cause as Error).message).toBe('bad item [redacted]');
  });

  it('while a timed-out call is pending no new call starts; once it settles calls go through', async () => {
    let release: (v: string | null) => void = () => {};
    let calls = 0;
    const store = createKeytarStore({
      timeoutMs: 30,
      load: async () =>
        scripted({
          getPassword: () => {
            calls++;
            return calls === 1 ? new Promise((r) => (release = r)) : Promise.resolve('later');
          },
        }),
    });
    await expect(store.get('a')).rejects.toMatchObject({
      reason: 'timeout',
      code: 'keychain-locked',
    });
    await expect(store.get('a')).rejects.toMatchObject({ reason: 'timeout' });
    expect(calls).toBe(1);
    release(null);
    await new Promise((r) => setTimeout(r, 0));
    expect(await store.get('a')).toBe('later');
    expect(calls).toBe(2);
  });

  it('probe: a keychain that stores but does not give the value back is not ok', async () => {
    const store = createKeytarStore({
      load: async () =>
        scripted({
          setPassword: async () => {},
          getPassword: async () => null,
          deletePassword: async () => false,
        }),
    });
    expect(await store.probe()).toEqual({
      ok: false,
      reason: 'unavailable',
      message: KEYCHAIN_MESSAGES.other,
    });
  });
});
