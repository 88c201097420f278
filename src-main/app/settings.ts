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
  limitRateKiB: 0,
  proxyUrl: '',
  proxyLoginInKeychain: false,
  caCertFile: '',
  theme: 'system',
  defaultAccountId: '',
};

export type AppSettings = TypedSettings<StoredSettings>;

export function appSettings(repo: SettingsRepo): AppSettings {
  return typedSettings<StoredSettings>(repo, DEFAULT_SETTINGS);
}

type UploadSettings = Pick<
  Settings,
  'chunkSizeMiB' | 'smallThresholdMiB' | 'filesAtOnce' | 'keepCompletedJobs' | 'limitRateKiB'
>;

/**
 * The engine's view of the user's settings (bytes instead of MiB, plus its own limits). A chunk
 * size the user never chose (`chunkSizeChosen` false) lets the engine adapt it to the link.
 */
export function engineSettings(
  s: UploadSettings,
  overrides: Partial<EngineSettings> = {},
  chunkSizeChosen = true,
): EngineSettings {
  return {
    chunkSize: chunkSizeChosen ? s.chunkSizeMiB * MiB : null,
    limitRate: s.limitRateKiB > 0 ? s.limitRateKiB * 1024 : null,
    smallThreshold: s.smallThresholdMiB * MiB,
    filesAtOnce: s.filesAtOnce,
    keepCompletedJobs: s.keepCompletedJobs,
    maxAttempts: 8,
    offlineGiveUpMs: null,
    ...overrides,
  };
}
