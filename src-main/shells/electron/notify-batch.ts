import type { BrowserWindow, Notification as ElectronNotification } from 'electron';
import type { Disposable } from '../../core/event';
import type { EventFeed } from '../../app/event-hub';

type NotificationClass = Pick<typeof ElectronNotification, 'isSupported'> &
  (new (options: { title: string; body: string }) => Pick<ElectronNotification, 'show' | 'on'>);

/** A batch that ends while the window is not focused is told by a desktop notification. */
export function notifyBatches(
  events: EventFeed,
  window: () => BrowserWindow | null,
  Notification: NotificationClass,
): Disposable {
  return events.on('batch:ended', ({ title, body }) => {
    const win = window();
    if ((win && win.isFocused()) || !Notification.isSupported()) return;
    const note = new Notification({ title, body });
    note.on('click', () => {
      if (win?.isMinimized()) win.restore();
      win?.show();
      win?.focus();
    });
    note.show();
  });
}
