import type { BatchEnded } from '../../src-main/app/contract';
import { shellKind } from './api';

/**
 * The browser's notifications for the web shell. (On the desktop, Electron's main process shows
 * its own from the same `batch:ended` event: see shells/electron/notify-batch.ts.)
 */
function browserNotifications(): typeof Notification | null {
  if (shellKind() !== 'web') return null;
  return typeof Notification === 'undefined' ? null : Notification;
}

/** Asked on the user's own click (Start): browsers ignore or hide requests made without one. */
export function askForNotifications(): void {
  const N = browserNotifications();
  if (N && N.permission === 'default') void N.requestPermission().catch(() => undefined);
}

/** A batch that ended while the page is not focused, told by a notification (if allowed). */
export function notifyBatch(e: BatchEnded, doc: Pick<Document, 'hasFocus'> = document): void {
  const N = browserNotifications();
  if (!N || N.permission !== 'granted' || doc.hasFocus()) return;
  const note = new N(e.title, { body: e.body, tag: 'firmdrop-batch' });
  note.onclick = () => {
    window.focus();
    note.close();
  };
}
