import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, EVENTS } from '../../app/contract';
import type { FirmdropApi } from '../../app/contract';
import type { EventFeed } from '../../app/event-hub';
import { dispatch } from '../../app/input-guards';
import { DisposableStore, type Disposable } from '../../core/event';

/**
 * Only our own window's top frame may call the service: an iframe or any other web contents
 * (there should be none) is refused before its input is even looked at.
 */
export function isTrustedSender(
  event: IpcMainInvokeEvent,
  window: () => WebContents | null,
): boolean {
  const own = window();
  return own !== null && event.sender === own && event.senderFrame === own.mainFrame;
}

/** One handler per channel of the allowlist; every input goes through the shared guards. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  api: FirmdropApi,
  window: () => WebContents | null,
): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!isTrustedSender(event, window)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: 'Refused: not the Firmdrop window.' },
        };
      }
      return dispatch(api, channel, input);
    });
  }
  return () => CHANNELS.forEach((c) => ipcMain.removeHandler(c));
}

/** Forwards the service's push events to the window, on channels named after the events. */
export function forwardEvents(events: EventFeed, window: () => WebContents | null): Disposable {
  const subs = new DisposableStore();
  for (const name of EVENTS) {
    subs.add(
      events.on(name, (payload) => {
        const wc = window();
        if (wc && !wc.isDestroyed()) wc.send(`event:${name}`, payload);
      }),
    );
  }
  return subs;
}
