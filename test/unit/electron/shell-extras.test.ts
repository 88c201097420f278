import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import type { BatchEnded, FirmdropApi } from '../../../src-main/app/contract';
import { SAVE_HISTORY_EXPORT_CHANNEL } from '../../../src-main/app/contract';
import { EventHub } from '../../../src-main/app/event-hub';
import { notifyBatches } from '../../../src-main/shells/electron/notify-batch';
import { registerSaveExport } from '../../../src-main/shells/electron/save-export';

// Electron cannot run here: the window, dialog and Notification are test doubles with just the
// members the shell uses. The export itself comes from a scripted service answer.
type Handler = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;

function saveSetup(choice: { canceled: boolean; filePath?: string }) {
  const handlers = new Map<string, Handler>();
  const mainFrame = {};
  const webContents = { mainFrame };
  const win = { webContents } as unknown as BrowserWindow;
  const written: Array<[string, string]> = [];
  const asked: unknown[] = [];
  const api = {
    'history:export': async (q: { format: string }) => ({
      ok: true,
      value: { fileName: `h.${q.format}`, mimeType: 'text/csv', content: 'a,b\r\n', rows: 1 },
    }),
  } as unknown as FirmdropApi;
  registerSaveExport({
    ipcMain: { handle: (c: string, h: Handler) => void handlers.set(c, h) } as never,
    api,
    window: () => win,
    dialog: {
      showSaveDialog: (async (_w: unknown, options: unknown) => {
        asked.push(options);
        return choice;
      }) as never,
    },
    writeFile: async (path, content) => void written.push([path, content]),
  });
  const call = (input: unknown, frame: unknown = mainFrame) =>
    handlers.get(SAVE_HISTORY_EXPORT_CHANNEL)!(
      { sender: webContents, senderFrame: frame } as unknown as IpcMainInvokeEvent,
      input,
    );
  return { call, written, asked };
}

describe('desktop save dialog for the history export', () => {
  it('writes the export where the user chose', async () => {
    const s = saveSetup({ canceled: false, filePath: '/home/t/audit.csv' });
    expect(await s.call({ format: 'csv' })).toEqual({ ok: true, value: { saved: true, rows: 1 } });
    expect(s.written).toEqual([['/home/t/audit.csv', 'a,b\r\n']]);
    expect(s.asked[0]).toMatchObject({ defaultPath: 'h.csv' });
  });

  it('writes nothing when the dialog is closed, and refuses bad input and strange senders', async () => {
    const s = saveSetup({ canceled: true });
    expect(await s.call({ format: 'json' })).toEqual({
      ok: true,
      value: { saved: false, rows: 1 },
    });
    expect(await s.call({ format: 'xls' })).toMatchObject({ ok: false });
    expect(await s.call({ format: 'csv' }, { other: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(s.written).toEqual([]);
  });
});

describe('desktop notification when a batch ends', () => {
  const ended: BatchEnded = {
    done: 2,
    failed: 0,
    cancelled: 0,
    title: '2 uploads finished',
    body: 'ok',
  };

  function setup(focused: boolean) {
    const hub = new EventHub();
    const shown: Array<{ title: string; body: string }> = [];
    class FakeNotification {
      static isSupported = () => true;
      constructor(private readonly o: { title: string; body: string }) {}
      on() {
        return this;
      }
      show() {
        shown.push(this.o);
      }
    }
    const win = { isFocused: () => focused } as unknown as BrowserWindow;
    notifyBatches(hub, () => win, FakeNotification as never);
    return { hub, shown };
  }

  it('notifies only while the window is not focused', () => {
    const away = setup(false);
    away.hub.emit('batch:ended', ended);
    expect(away.shown).toEqual([{ title: '2 uploads finished', body: 'ok' }]);
    const here = setup(true);
    here.hub.emit('batch:ended', ended);
    expect(here.shown).toEqual([]);
  });
});
