import { MiB } from '../core/limits';
import { typedSettings, type SettingsRepo, type TypedSettings } from '../store';
import type { Settings } from './contract';
import type { EngineSettings } from '../upload/types';

/**
 * The settings as the database keeps them: the renderer's Settings, except that whether the
 * proxy has a login in the keychain is a flag of ours (so nothing asks the keychain when there is
 * none). Its name avoids "credentials": the settings table refuses names that look like secrets.
 */
export type StoredSettings = Omit<Settings, 'proxyHasCredentials'> & {
  proxyLoginInKeychain: boolean;
};

export const DEFAULT_SETTINGS: StoredSettings = {
  chunkSizeMiB: 16,
  filesAtOnce: 2,
  smallThresholdMiB: 8,
  keepCompletedJobs: false,
  proxyUrl: '',
  proxyLoginInKeychain: false,
  caCertFile: '',
  theme: 'system',
};

export type AppSettings = TypedSettings<StoredSettings>;

export function appSettings(repo: SettingsRepo): AppSettings {
  return typedSettings<StoredSettings>(repo, DEFAULT_SETTINGS);
}

type UploadSettings = Pick<
  Settings,
  'chunkSizeMiB' | 'smallThresholdMiB' | 'filesAtOnce' | 'keepCompletedJobs'
>;

/** The engine's view of the user's settings (bytes instead of MiB, plus its own limits). */
export function engineSettings(
  s: UploadSettings,
  overrides: Partial<EngineSettings> = {},
): EngineSettings {
  return {
    chunkSize: s.chunkSizeMiB * MiB,
    smallThreshold: s.smallThresholdMiB * MiB,
    filesAtOnce: s.filesAtOnce,
    keepCompletedJobs: s.keepCompletedJobs,
    maxAttempts: 8,
    offlineGiveUpMs: null,
    ...overrides,
  };
}
