import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { CHANNELS, EVENTS } from '../../../src-main/app/contract';
import type { FirmdropApi } from '../../../src-main/app/contract';
import { forwardEvents, registerIpc } from '../../../src-main/shells/electron/ipc';
import { EventHub } from '../../helpers/event-hub';

// Electron cannot run here: ipcMain and WebContents are test doubles with just the used members.
type Handler = (event: IpcMainInvokeEvent, input: unknown) => unknown;

function setup() {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: (c: string, h: Handler) => void handlers.set(c, h),
    removeHandler: (c: string) => void handlers.delete(c),
  };
  const mainFrame = { name: 'top' };
  const sent: Array<[string, unknown]> = [];
  const own = {
    mainFrame,
    isDestroyed: () => false,
    send: (c: string, p: unknown) => sent.push([c, p]),
  } as unknown as WebContents;
  const calls: unknown[] = [];
  const api = {
    'accounts:remove': async (input: unknown) => {
      calls.push(input);
      return { ok: true, value: undefined };
    },
  } as unknown as FirmdropApi;
  const unregister = registerIpc(ipcMain as never, api, () => own);
  const call = (channel: string, input: unknown, sender = own, frame: unknown = mainFrame) =>
    handlers.get(channel)!({ sender, senderFrame: frame } as unknown as IpcMainInvokeEvent, input);
  return { handlers, call, calls, own, sent, unregister };
}

describe('electron IPC wiring', () => {
  it('registers exactly the contract channels and removes them again', () => {
    const { handlers, unregister } = setup();
    expect([...handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('passes a valid call from our top frame to the service', async () => {
    const { call, calls } = setup();
    expect(await call('accounts:remove', { id: 'a1' })).toEqual({ ok: true, value: undefined });
    expect(calls).toEqual([{ id: 'a1' }]);
  });

  it('refuses other web contents before looking at the input', async () => {
    const { call, calls } = setup();
    const stranger = { mainFrame: {} } as unknown as WebContents;
    expect(await call('accounts:remove', { id: 'a1' }, stranger)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(calls).toEqual([]);
  });

  it('refuses a sub-frame of our own window (the sender matches, the frame does not)', async () => {
    const { call, calls, own } = setup();
    const iframe = { name: 'iframe', parent: own.mainFrame };
    expect(await call('accounts:remove', { id: 'a1' }, own, iframe)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(calls).toEqual([]);
  });

  it('validates input in main', async () => {
    const { call, calls } = setup();
    expect(await call('accounts:remove', { id: 5 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(calls).toEqual([]);
  });

  it('forwards service events to the window', () => {
    const { own, sent } = setup();
    const hub = new EventHub();
    const forwarding = forwardEvents(hub, () => own);
    hub.emit('network:changed', { online: false, outages: [] });
    forwarding.dispose();
    hub.emit('network:changed', { online: true, outages: [] });
    expect(sent).toEqual([['event:network:changed', { online: false, outages: [] }]]);
    expect(EVENTS.filter((e) => hub.hasListeners(e))).toEqual([]);
  });
});
