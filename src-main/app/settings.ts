import { MiB } from '../core/limits';
import { typedSettings, type SettingsRepo, type TypedSettings } from '../store';
import type { Settings } from './contract';
import type { EngineSettings } from '../upload/types';

export const DEFAULT_SETTINGS: Settings = {
  chunkSizeMiB: 16,
  filesAtOnce: 2,
  smallThresholdMiB: 8,
  keepCompletedJobs: false,
  proxyUrl: '',
  theme: 'system',
};

export type AppSettings = TypedSettings<Settings>;

export function appSettings(repo: SettingsRepo): AppSettings {
  return typedSettings<Settings>(repo, DEFAULT_SETTINGS);
}

/** The engine's view of the user's settings (bytes instead of MiB, plus its own limits). */
export function engineSettings(
  s: Settings,
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
