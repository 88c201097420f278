import type { BaseWindow, Dialog, MessageBoxOptions } from 'electron';
import type { Dialogs, UpdateDialog } from './update-flow';

/**
 * The update flow's dialogs as native message boxes, on top of the window when there is one (so
 * they cannot get lost behind it). Enter picks the first button; Esc or closing picks the last.
 */
export function nativeDialogs(
  dialog: Pick<Dialog, 'showMessageBox'>,
  parent: () => BaseWindow | null,
): Dialogs {
  return {
    async show(d: UpdateDialog): Promise<number> {
      const options: MessageBoxOptions = {
        type: d.type,
        title: 'Firmdrop update',
        message: d.message,
        detail: d.detail,
        buttons: d.buttons,
        defaultId: 0,
        cancelId: d.buttons.length - 1,
        noLink: true,
      };
      const owner = parent();
      const { response } = await (owner
        ? dialog.showMessageBox(owner, options)
        : dialog.showMessageBox(options));
      return response;
    },
  };
}
