import type { Settings } from '../../../src-main/app/contract';
import { ApiError, call, messageOf } from '../api';

export type Theme = 'light' | 'dark';

/** Ranges the form enforces before asking the service (which checks again). */
export const LIMITS = {
  chunkSizeMiB: { min: 5, max: 100 },
  filesAtOnce: { min: 1, max: 8 },
  smallThresholdMiB: { min: 0, max: 99 },
} as const;

export type NumericSetting = keyof typeof LIMITS;

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
  errors = $state<Partial<Record<keyof Settings, string>>>({});
  saved = $state<Partial<Record<keyof Settings, boolean>>>({});
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

  async update<K extends keyof Settings>(key: K, value: Settings[K]): Promise<void> {
    if (typeof value === 'number') {
      const problem = checkNumber(key as NumericSetting, value);
      if (problem) {
        this.errors[key] = problem;
        this.saved[key] = false;
        return;
      }
    }
    const patch: Partial<Settings> = {};
    patch[key] = value;
    try {
      this.value = await call('settings:update', patch);
      delete this.errors[key];
      this.saved[key] = true;
    } catch (err) {
      const field = err instanceof ApiError && err.field ? (err.field as keyof Settings) : key;
      this.errors[field] = messageOf(err);
      this.saved[key] = false;
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
