import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  checkForUpdates(): void;
  openDataFolder(): void;
}

/** The application menu: standard roles plus "Check for updates…". */
export function menuTemplate(actions: MenuActions, isMac: boolean): MenuItemConstructorOptions[] {
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open data folder', click: () => actions.openDataFolder() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: 'Check for updates…', click: () => actions.checkForUpdates() }],
    },
  ];
}
