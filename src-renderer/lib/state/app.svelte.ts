import type { AppInfo } from '../../../src-main/app/contract';
import { call, messageOf } from '../api';
import { network } from './network.svelte';

export type Screen = 'upload' | 'history' | 'accounts' | 'settings';

export const SCREENS: ReadonlyArray<{ id: Screen; label: string }> = [
  { id: 'upload', label: 'Upload' },
  { id: 'history', label: 'History' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'settings', label: 'Settings' },
];

export class AppState {
  screen = $state<Screen>('upload');
  info = $state<AppInfo | null>(null);
  /** Set when the service cannot be reached at all: the window is then of little use. */
  connectionError = $state<string | null>(null);

  keychainProblem = $derived(
    this.info && !this.info.keychain.ok ? this.info.keychain.message : null,
  );

  go(screen: Screen): void {
    this.screen = screen;
  }

  async loadInfo(): Promise<void> {
    try {
      this.info = await call('app:info');
      network.set({ online: this.info.online, outages: this.info.outages });
      this.connectionError = null;
    } catch (err) {
      this.connectionError = messageOf(err);
    }
  }
}

export const app = new AppState();
