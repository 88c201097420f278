import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AccountView, Settings } from '../../../src-main/app/contract';
import { AccountsState } from '../../../src-renderer/lib/state/accounts.svelte';
import { NoticesState } from '../../../src-renderer/lib/state/notices.svelte';
import { checkNumber, SettingsState } from '../../../src-renderer/lib/state/settings.svelte';
import { installFakeBridge, ok } from './fake-bridge';

const SETTINGS: Settings = {
  chunkSizeMiB: 10,
  filesAtOnce: 2,
  smallThresholdMiB: 50,
  keepCompletedJobs: false,
  limitRateKiB: 0,
  proxyUrl: '',
  proxyHasCredentials: false,
  caCertFile: '',
  theme: 'system',
  defaultAccountId: '',
};

function account(id: string, extra: Partial<AccountView> = {}): AccountView {
  return {
    id,
    name: id,
    baseUrl: 'https://api.eu-west-1.mbedcloud.com',
    region: 'eu',
    isSandbox: false,
    displayName: null,
    dmAccountId: null,
    tier: '1',
    hasKey: true,
    isDefault: false,
    ...extra,
  };
}

describe('settings state', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('follows the system theme only when the setting says so', async () => {
    let current: Settings = { ...SETTINGS };
    installFakeBridge({
      'settings:get': () => ok(current),
      'settings:update': (patch) => ok((current = { ...current, ...patch })),
    });
    const s = new SettingsState();
    let fire: ((e: { matches: boolean }) => void) | undefined;
    const media = {
      matches: false,
      addEventListener: (_: string, l: (e: { matches: boolean }) => void) => (fire = l),
      removeEventListener: vi.fn(),
    };
    const stop = s.watchSystemTheme(media as unknown as MediaQueryList);
    await s.load();
    expect(s.theme).toBe('light');
    fire?.({ matches: true });
    expect(s.theme).toBe('dark');
    await s.update('theme', 'light');
    expect(s.theme).toBe('light');
    stop();
    expect(media.removeEventListener).toHaveBeenCalled();
  });

  it('refuses out-of-range numbers before asking the service', async () => {
    const fake = installFakeBridge({ 'settings:update': () => ok(SETTINGS) });
    const s = new SettingsState();
    await s.update('chunkSizeMiB', 4);
    expect(s.errors.chunkSizeMiB).toBe('Choose a value from 5 to 100.');
    expect(fake.callsTo('settings:update')).toEqual([]);
    await s.update('chunkSizeMiB', 16);
    expect(fake.callsTo('settings:update')).toEqual([{ chunkSizeMiB: 16 }]);
    expect(s.errors.chunkSizeMiB).toBeUndefined();
    expect(s.saved.chunkSizeMiB).toBe(true);
    expect(checkNumber('filesAtOnce', 1.5)).toBe('Enter a whole number.');
  });

  it('shows the service’s field error next to the field', async () => {
    installFakeBridge({
      'settings:update': () => ({
        ok: false,
        error: { code: 'invalid-input', message: 'Use http:// or https://.', field: 'proxyUrl' },
      }),
    });
    const s = new SettingsState();
    await s.update('proxyUrl', 'socks://x');
    expect(s.errors.proxyUrl).toBe('Use http:// or https://.');
  });
});

describe('proxy login (settings state)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends the login once and keeps only what the service says: whether it is stored', async () => {
    let current: Settings = { ...SETTINGS, proxyUrl: 'http://proxy.corp:3128' };
    const fake = installFakeBridge({
      'settings:update': ({ proxyCredentials }) =>
        ok((current = { ...current, proxyHasCredentials: proxyCredentials != null })),
    });
    const s = new SettingsState();
    expect(await s.saveProxyCredentials({ username: 'tech', password: 'p4ss' })).toBe(true);
    expect(fake.callsTo('settings:update')).toEqual([
      { proxyCredentials: { username: 'tech', password: 'p4ss' } },
    ]);
    expect(s.value).toMatchObject({ proxyHasCredentials: true });
    expect(JSON.stringify(s.value)).not.toContain('p4ss');
    expect(await s.saveProxyCredentials(null)).toBe(true);
    expect(s.value?.proxyHasCredentials).toBe(false);
  });

  it('shows a refused login next to the login fields', async () => {
    installFakeBridge({
      'settings:update': () => ({
        ok: false,
        error: { code: 'keychain-locked', message: 'The OS keychain is locked.' },
      }),
    });
    const s = new SettingsState();
    expect(await s.saveProxyCredentials({ username: 'tech', password: 'x' })).toBe(false);
    expect(s.errors.proxyCredentials).toBe('The OS keychain is locked.');
  });
});

describe('accounts state', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends new uploads to the account the service marks as default, and to none without one', async () => {
    const fake = installFakeBridge({
      'accounts:set-default': ({ id }) =>
        ok([
          account('sb', { isSandbox: true, region: 'sandbox', isDefault: id === 'sb' }),
          account('prod', { isDefault: id === 'prod' }),
        ]),
    });
    const a = new AccountsState();
    a.replace([account('sb', { isSandbox: true, region: 'sandbox', isDefault: true })]);
    expect(a.defaultId).toBe('sb');
    // A new account, even a real one with a key, does not take the default.
    a.replace([...a.list, account('prod')]);
    expect(a.defaultId).toBe('sb');
    expect(await a.setDefault('prod')).toBeNull();
    expect(fake.callsTo('accounts:set-default')).toEqual([{ id: 'prod' }]);
    expect(a.defaultId).toBe('prod');
    a.replace(a.list.map((x) => ({ ...x, isDefault: false })));
    expect(a.defaultId).toBe('');
    expect(a.sandbox?.id).toBe('sb');
  });

  it('adds an account, reports a field problem, and loads quotas', async () => {
    const fake = installFakeBridge({
      'accounts:add': (input) =>
        input.apiKey === 'bad'
          ? {
              ok: false,
              error: { code: 'unauthorized', message: 'The key was refused.', field: 'apiKey' },
            }
          : ok(account('new', { name: input.name })),
      'accounts:quota': () => ok({ used: 9, limit: 10 }),
    });
    const a = new AccountsState();
    expect(await a.add({ name: 'X', region: 'eu', apiKey: 'bad' })).toEqual({
      field: 'apiKey',
      message: 'The key was refused.',
    });
    expect(await a.add({ name: 'X', region: 'eu', apiKey: 'good' })).toBeNull();
    expect(a.list.map((x) => x.name)).toEqual(['X']);
    await vi.waitFor(() =>
      expect(a.quotas.new).toEqual({ kind: 'ok', quota: { used: 9, limit: 10 } }),
    );
    expect(fake.callsTo('accounts:quota')).toEqual([{ id: 'new' }]);
  });

  it('marks an account busy while testing and says how it went', async () => {
    let release: () => void = () => {};
    installFakeBridge({
      'accounts:test': () =>
        new Promise((resolve) => {
          release = () => resolve(ok(account('p', { displayName: 'ACME' })));
        }),
      'accounts:quota': () => ok({ used: 1, limit: 1000 }),
    });
    const a = new AccountsState();
    a.replace([account('p')]);
    const result = a.test('p');
    expect(a.busy.p).toBe('testing');
    release();
    expect(await result).toEqual({ ok: true, message: 'Connected to p as ACME. The key works.' });
    expect(a.busy.p).toBeUndefined();
  });
});

describe('notices', () => {
  it('stacks distinct notices, merges a repeat, and lets info fade by itself', () => {
    vi.useFakeTimers();
    const n = new NoticesState();
    n.push('info', 'Back online.');
    n.push('info', 'Back online.');
    n.push('error', 'The key was refused.');
    expect(n.items.map((t) => t.message)).toEqual(['Back online.', 'The key was refused.']);
    vi.advanceTimersByTime(10_000);
    expect(n.items.map((t) => t.level)).toEqual(['error']);
    vi.useRealTimers();
  });
});
