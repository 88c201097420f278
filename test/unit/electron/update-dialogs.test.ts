import type { BaseWindow, MessageBoxOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { nativeDialogs } from '../../../src-main/shells/electron/update-dialogs';

// Electron cannot run here: dialog.showMessageBox is a double that records its arguments.
describe('native update dialogs', () => {
  it('open on top of the window, Enter picks the first button and Esc the last', async () => {
    const calls: unknown[][] = [];
    const dialog = {
      showMessageBox: async (...args: unknown[]) => (calls.push(args), { response: 1 }),
    } as never;
    const win = { id: 1 } as unknown as BaseWindow;
    let parent: BaseWindow | null = win;
    const dialogs = nativeDialogs(dialog, () => parent);
    const d = {
      type: 'question' as const,
      message: 'Firmdrop 2.0.0 is ready to install.',
      detail: 'Restart now?',
      buttons: ['Restart now', 'Later'],
    };
    expect(await dialogs.show(d)).toBe(1);
    expect(calls[0]?.[0]).toBe(win);
    expect(calls[0]?.[1]).toMatchObject<MessageBoxOptions>({
      ...d,
      defaultId: 0,
      cancelId: 1,
      noLink: true,
    });
    parent = null;
    await dialogs.show(d);
    expect(calls[1]).toHaveLength(1);
  });
});
