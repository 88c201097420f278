import type { ActiveUploads } from './active-uploads';

/** The part of electron-updater's AppUpdater we use, so the policy can be tested without Electron. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
}

export type UpdateCheck = { started: true } | { started: false; reason: string };

/**
 * Update checks never compete with an upload for the link, and an install never interrupts one:
 * with uploads running the check is refused with a reason the menu can show.
 */
export function createUpdatePolicy(updater: Updater, active: ActiveUploads) {
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  return {
    async check(): Promise<UpdateCheck> {
      if (active.count > 0) {
        return {
          started: false,
          reason: 'Uploads are running. Check for updates when they finish.',
        };
      }
      await updater.checkForUpdates();
      return { started: true };
    },
    installNow(): boolean {
      if (active.count > 0) return false;
      updater.quitAndInstall();
      return true;
    },
  };
}
