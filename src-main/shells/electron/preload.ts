import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { CHANNELS, EVENTS, SAVE_HISTORY_EXPORT_CHANNEL } from '../../app/contract';
import type { FirmdropBridge, StagedFile } from '../../app/contract';

// The renderer gets exactly the contract: named functions over an allowlist, never ipcRenderer.
const channels = new Set<string>(CHANNELS);
const events = new Set<string>(EVENTS);

const bridge: FirmdropBridge = {
  shell: 'electron',
  invoke(channel, ...args) {
    if (!channels.has(channel))
      return Promise.reject(new Error(`Unknown channel ${channel}`)) as never;
    return ipcRenderer.invoke(channel, args[0]) as never;
  },
  on(event, listener) {
    if (!events.has(event)) throw new Error(`Unknown event ${event}`);
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(`event:${event}`, wrapped);
    return () => ipcRenderer.removeListener(`event:${event}`, wrapped);
  },
  async stageFiles(files) {
    // Since Electron 32 File.path is gone; webUtils gives the real path of a dropped or picked file.
    const staged: StagedFile[] = files.map((f) => ({
      ref: webUtils.getPathForFile(f),
      fileName: f.name,
      size: f.size,
    }));
    const missing = staged.find((s) => s.ref === '');
    if (missing) {
      return {
        ok: false,
        error: {
          code: 'file-missing',
          message: `"${missing.fileName}" has no path on disk. Save it to a folder first, then drop it here.`,
        },
      };
    }
    return { ok: true, value: staged };
  },
  saveHistoryExport(input) {
    return ipcRenderer.invoke(SAVE_HISTORY_EXPORT_CHANNEL, input) as never;
  },
};

contextBridge.exposeInMainWorld('firmdrop', bridge);
