import type { ProxyCredentials, Settings, SettingsPatch } from '../../../src-main/app/contract';
import { ApiError, call, messageOf } from '../api';

export type Theme = 'light' | 'dark';

/** Ranges the form enforces before asking the service (which checks again). */
export const LIMITS = {
  chunkSizeMiB: { min: 5, max: 100 },
  filesAtOnce: { min: 1, max: 8 },
  smallThresholdMiB: { min: 0, max: 99 },
  limitRateKiB: { min: 0, max: 16 * 1024 * 1024 },
} as const;

export type NumericSetting = keyof typeof LIMITS;

/** The settings a form field changes (whether the proxy has a login is the service's to say). */
export type EditableSetting = keyof Omit<Settings, 'proxyHasCredentials' | 'defaultAccountId'>;

export function checkNumber(key: NumericSetting, value: number): string | null {
  const { min, max } = LIMITS[key];
  if (!Number.isInteger(value)) return 'Enter a whole number.';
  if (value < min || value > max) return `Choose a value from ${min} to ${max}.`;
  return null;
}

export class SettingsState {
  value = $state<Settings | null>(null);
  loadError = $state<string | null>(null);
  /** Per field: the last problem, or null once saved. */
  errors = $state<Partial<Record<keyof SettingsPatch, string>>>({});
  saved = $state<Partial<Record<keyof SettingsPatch, boolean>>>({});
  systemDark = $state(false);

  theme = $derived<Theme>(
    this.value?.theme === 'dark' || (this.value?.theme !== 'light' && this.systemDark)
      ? 'dark'
      : 'light',
  );

  async load(): Promise<void> {
    try {
      this.value = await call('settings:get');
      this.loadError = null;
    } catch (err) {
      this.loadError = messageOf(err);
    }
  }

  async update<K extends EditableSetting>(key: K, value: Settings[K]): Promise<void> {
    if (typeof value === 'number') {
      const problem = checkNumber(key as NumericSetting, value);
      if (problem) {
        this.errors[key] = problem;
        this.saved[key] = false;
        return;
      }
    }
    const patch: SettingsPatch = {};
    patch[key] = value;
    await this.send(key, patch);
  }

  /**
   * Stores the proxy's user name and password in the OS keychain, or forgets them (null). True
   * when saved. They are sent once and never come back: the service answers only whether it has
   * them.
   */
  async saveProxyCredentials(login: ProxyCredentials | null): Promise<boolean> {
    return this.send('proxyCredentials', { proxyCredentials: login });
  }

  private async send(key: keyof SettingsPatch, patch: SettingsPatch): Promise<boolean> {
    try {
      this.value = await call('settings:update', patch);
      delete this.errors[key];
      this.saved[key] = true;
      return true;
    } catch (err) {
      const field = err instanceof ApiError && err.field ? (err.field as keyof SettingsPatch) : key;
      this.errors[field] = messageOf(err);
      this.saved[key] = false;
      return false;
    }
  }

  /** Follows the operating system's light/dark preference for the 'system' theme. */
  watchSystemTheme(
    media: Pick<MediaQueryList, 'matches' | 'addEventListener' | 'removeEventListener'>,
  ): () => void {
    this.systemDark = media.matches;
    const listener = (e: { matches: boolean }) => {
      this.systemDark = e.matches;
    };
    media.addEventListener('change', listener);
    return () => media.removeEventListener('change', listener);
  }
}

export const settings = new SettingsState();
