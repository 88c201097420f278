import { describe, expect, it } from 'vitest';
import { ENV_ACCOUNT_ID, createEnvSecretStore } from '../../../src-main/secrets';

describe('EnvSecretStore (headless)', () => {
  it('returns FIRMDROP_API_KEY for the pseudo-account only, read at each call', async () => {
    const env: NodeJS.ProcessEnv = { FIRMDROP_API_KEY: '  ak_env_key \n' };
    const store = createEnvSecretStore({ env });
    expect(await store.get(ENV_ACCOUNT_ID)).toBe('ak_env_key');
    expect(await store.get('some-other-account')).toBeNull();
    env.FIRMDROP_API_KEY = 'ak_changed';
    expect(await store.get(ENV_ACCOUNT_ID)).toBe('ak_changed');
  });

  it('probe says whether the variable is set', async () => {
    expect(await createEnvSecretStore({ env: { FIRMDROP_API_KEY: 'k' } }).probe()).toEqual({
      ok: true,
    });
    expect(await createEnvSecretStore({ env: { FIRMDROP_API_KEY: ' ' } }).probe()).toMatchObject({
      ok: false,
      reason: 'unavailable',
      message: expect.stringMatching(/FIRMDROP_API_KEY is not set/),
    });
  });

  it('never writes: set and delete fail with a message that says what to do instead', async () => {
    const env: NodeJS.ProcessEnv = { FIRMDROP_API_KEY: 'k' };
    const store = createEnvSecretStore({ env });
    await expect(store.set(ENV_ACCOUNT_ID, 'ak_new_secret')).rejects.toMatchObject({
      code: 'keychain-unavailable',
      message: expect.stringMatching(/comes from FIRMDROP_API_KEY .*Change FIRMDROP_API_KEY/),
    });
    await expect(store.set(ENV_ACCOUNT_ID, 'ak_new_secret')).rejects.not.toThrow(/ak_new_secret/);
    await expect(store.delete(ENV_ACCOUNT_ID)).rejects.toThrow(/Cannot delete an API key here/);
    expect(env).toEqual({ FIRMDROP_API_KEY: 'k' });
  });

  it('a custom variable and pseudo-account id', async () => {
    const store = createEnvSecretStore({
      env: { MY_KEY: 'x' },
      variable: 'MY_KEY',
      accountId: 'ci',
    });
    expect(await store.get('ci')).toBe('x');
    expect(await store.get(ENV_ACCOUNT_ID)).toBeNull();
  });
});
