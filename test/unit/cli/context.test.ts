import { describe, expect, it } from 'vitest';
import { FirmdropError } from '../../../src-main/core/errors';
import type { KeychainStatus, SecretStore } from '../../../src-main/secrets';
import { envAwareSecretStore } from '../../../src-main/app/env-keys';
import { parseRegion, readEnvCredentials } from '../../../src-main/shells/cli/context';
import { CliUsageError } from '../../../src-main/shells/cli/usage';

/** A scripted keychain that records what was asked of it. */
function recordingKeychain() {
  const calls: string[] = [];
  const store: SecretStore = {
    get: async (id) => (calls.push(`get ${id}`), 'stored-key'),
    set: async (id) => void calls.push(`set ${id}`),
    delete: async (id) => (calls.push(`delete ${id}`), true),
    probe: async (): Promise<KeychainStatus> => (calls.push('probe'), { ok: true }),
  };
  let created = 0;
  return { calls, created: () => created, factory: () => (created++, store) };
}

describe('cli credentials', () => {
  it('reads FIRMDROP_API_URL and FIRMDROP_API_KEY together, as a preset or a URL', () => {
    expect(readEnvCredentials({})).toBeNull();
    expect(readEnvCredentials({ FIRMDROP_API_URL: 'eu', FIRMDROP_API_KEY: 'k' })).toEqual({
      baseUrl: 'https://api.eu-west-1.mbedcloud.com',
      region: 'eu-west-1',
      host: 'api.eu-west-1.mbedcloud.com',
    });
    expect(
      readEnvCredentials({ FIRMDROP_API_URL: 'http://127.0.0.1:8443/', FIRMDROP_API_KEY: 'k' }),
    ).toMatchObject({
      baseUrl: 'http://127.0.0.1:8443',
      host: '127.0.0.1:8443',
    });
    expect(() => readEnvCredentials({ FIRMDROP_API_KEY: 'k' })).toThrow(CliUsageError);
    expect(() => readEnvCredentials({ FIRMDROP_API_URL: 'us' })).toThrow(
      /FIRMDROP_API_URL is set but FIRMDROP_API_KEY is not/,
    );
    expect(() =>
      readEnvCredentials({ FIRMDROP_API_URL: 'http://api.example.com', FIRMDROP_API_KEY: 'k' }),
    ).toThrow(/FIRMDROP_API_URL: The API address must start with https:\/\//);
    expect(parseRegion('JP', '--region').baseUrl).toBe('https://api.ap-northeast-1.mbedcloud.com');
  });

  it('answers the environment account from the environment without creating the keychain', async () => {
    const kc = recordingKeychain();
    let envId: string | null = null;
    const secrets = envAwareSecretStore({
      env: { FIRMDROP_API_KEY: ' envkey ' },
      envAccountId: () => envId,
      keychain: kc.factory,
    });
    await expect(secrets.get('env:h:1')).rejects.toMatchObject({ code: 'unauthorized' });
    envId = 'env:h:1';
    expect(await secrets.get('env:h:1')).toBe('envkey');
    await expect(secrets.get('env:h:2')).rejects.toThrow(/takes its key from the environment/);
    await expect(secrets.set('env:h:1', 'x')).rejects.toBeInstanceOf(FirmdropError);
    expect(await secrets.delete('env:h:1')).toBe(false);
    expect(kc.created()).toBe(0);
    expect(await secrets.get('stored-id')).toBe('stored-key');
    await secrets.delete('stored-id');
    expect(kc.calls).toEqual(['get stored-id', 'delete stored-id']);
    expect(kc.created()).toBe(1);
  });
});
