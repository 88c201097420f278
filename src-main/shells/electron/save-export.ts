import type { BrowserWindow, Dialog, IpcMain, WebContents } from 'electron';
import { SAVE_HISTORY_EXPORT_CHANNEL } from '../../app/contract';
import type { FirmdropApi, HistoryExport, Result } from '../../app/contract';
import { dispatch } from '../../app/input-guards';
import { isTrustedSender } from './ipc';

/**
 * History → Export on the desktop: main builds the export through the service (input checked by
 * the same guards), asks where to save it, and writes it. The page never names a path.
 */
export function registerSaveExport(o: {
  ipcMain: Pick<IpcMain, 'handle'>;
  api: FirmdropApi;
  window: () => BrowserWindow | null;
  dialog: Pick<Dialog, 'showSaveDialog'>;
  writeFile(path: string, content: string): Promise<void>;
}): void {
  const contents = (): WebContents | null => o.window()?.webContents ?? null;
  o.ipcMain.handle(
    SAVE_HISTORY_EXPORT_CHANNEL,
    async (event, input: unknown): Promise<Result<{ saved: boolean; rows: number }>> => {
      if (!isTrustedSender(event, contents)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: 'Refused: not the Firmdrop window.' },
        };
      }
      const made = (await dispatch(o.api, 'history:export', input)) as Result<HistoryExport>;
      if (!made.ok) return made;
      const { fileName, rows, content } = made.value;
      const csv = fileName.endsWith('.csv');
      const options = {
        title: 'Export local upload history',
        defaultPath: fileName,
        filters: [
          csv ? { name: 'CSV', extensions: ['csv'] } : { name: 'JSON', extensions: ['json'] },
        ],
      };
      const win = o.window();
      const choice = await (win
        ? o.dialog.showSaveDialog(win, options)
        : o.dialog.showSaveDialog(options));
      if (choice.canceled || !choice.filePath) return { ok: true, value: { saved: false, rows } };
      try {
        await o.writeFile(choice.filePath, content);
      } catch (err) {
        return {
          ok: false,
          error: {
            code: 'storage',
            message: `The export could not be written to ${choice.filePath} (${(err as Error).message}). Choose another folder.`,
          },
        };
      }
      return { ok: true, value: { saved: true, rows } };
    },
  );
}
