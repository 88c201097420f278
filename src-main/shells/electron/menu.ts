import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  /** The update item's click: what it does depends on where the update flow is. */
  updates(): void;
  openDataFolder(): void;
}

export interface MenuOptions {
  isMac: boolean;
  /** The update item as the flow's state shows it (updateMenuItem). */
  update: { label: string; enabled: boolean };
}

/** The application menu: standard roles, "Open data folder", and the update item. */
export function menuTemplate(actions: MenuActions, o: MenuOptions): MenuItemConstructorOptions[] {
  return [
    ...(o.isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open data folder', click: () => actions.openDataFolder() },
        { type: 'separator' },
        o.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ ...o.update, click: () => actions.updates() }],
    },
  ];
}
