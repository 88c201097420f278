import { on, onReconnect } from '../api';
import { notifyBatch } from '../desktop-notify';
import { accounts } from './accounts.svelte';
import { app } from './app.svelte';
import { clock } from './clock.svelte';
import { network } from './network.svelte';
import { notices } from './notices.svelte';
import { settings } from './settings.svelte';
import { uploads } from './uploads.svelte';

/** Subscribes every state to the service's events, then loads what the first screen needs. */
export async function startApp(): Promise<() => void> {
  const offs = [
    on('upload:changed', (u) => uploads.upsert(u)),
    on('upload:removed', ({ id }) => uploads.remove(id)),
    on('accounts:changed', (list) => accounts.replace(list)),
    on('network:changed', (state) => network.set(state)),
    on('notice', ({ level, message }) => notices.push(level, message)),
    on('batch:ended', (e) => notifyBatch(e)),
    // Events lost while the stream was down: the lists are read again (newer views win, see
    // UploadView.revision, so an event that overtakes the answer is kept).
    onReconnect(() => {
      void uploads.load();
      void accounts.load();
    }),
    // One 1 s tick for every countdown on screen.
    clock.start(),
  ];
  await Promise.all([app.loadInfo(), accounts.load(), settings.load(), uploads.load()]);
  uploads.detectInterrupted();
  for (const message of app.info?.notices ?? []) notices.push('info', message);
  return () => offs.forEach((off) => off());
}
