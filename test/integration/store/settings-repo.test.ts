import { describe, expect, it } from 'vitest';
import { openStore, typedSettings } from '../../../src-main/store';
import { useTempDir } from './temp-store';

const tmp = useTempDir();

describe('settings', () => {
  it('stores any JSON value by name, and deletes', () => {
    const { settings } = tmp.open();
    expect(settings.get('theme')).toBeUndefined();
    settings.set('theme', 'dark');
    settings.set('window', { width: 1200, height: 800, maximized: false });
    settings.set('recent', ['/a.bin', '/b.bin']);
    settings.set('proxy', null);
    expect(settings.get('window')).toEqual({ width: 1200, height: 800, maximized: false });
    expect(settings.all()).toEqual({
      proxy: null,
      recent: ['/a.bin', '/b.bin'],
      theme: 'dark',
      window: { width: 1200, height: 800, maximized: false },
    });
    settings.set('theme', 'light');
    expect(settings.get('theme')).toBe('light');
    expect(settings.delete('theme')).toBe(true);
    expect(settings.delete('theme')).toBe(false);
  });

  it('refuses values without a JSON form and names that look like credentials', () => {
    const { settings } = tmp.open();
    expect(() => settings.set('x', undefined)).toThrow(/no JSON form/);
    for (const name of ['apiKey', 'api_key', 'clientSecret', 'accessToken', 'proxyPassword']) {
      expect(() => settings.set(name, 'v')).toThrow(/credentials go to the OS keychain/);
    }
  });

  it('typedSettings: defaults from the app, stored values win, wrong JSON types fall back', () => {
    const store = tmp.open();
    const defaults = {
      chunkSizeMiB: 16,
      parallelUploads: 2,
      region: 'us-east-1',
      lastDir: null,
    } as {
      chunkSizeMiB: number;
      parallelUploads: number;
      region: string;
      lastDir: string | null;
    };
    const s = typedSettings(store.settings, defaults);
    expect(s.all()).toEqual(defaults);
    s.set('chunkSizeMiB', 32);
    s.set('lastDir', '/home/tech/fw');
    expect(s.get('chunkSizeMiB')).toBe(32);
    expect(s.get('lastDir')).toBe('/home/tech/fw');
    store.settings.set('parallelUploads', 'three'); // e.g. written by an older version
    expect(s.get('parallelUploads')).toBe(2);
    s.reset('chunkSizeMiB');
    expect(s.all()).toEqual({ ...defaults, lastDir: '/home/tech/fw' });
  });

  it('settings survive a reopen', () => {
    const first = tmp.open();
    first.settings.set('chunkSizeMiB', 64);
    first.close();
    const again = openStore({ file: first.file });
    expect(again.settings.get('chunkSizeMiB')).toBe(64);
    again.close();
  });
});
