import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  /** The update item's click: what it does depends on where the update flow is. */
  updates(): void;
  openDataFolder(): void;
}

export interface MenuOptions {
  isMac: boolean;
  /** app.isPackaged: an installed build has no developer tools. */
  isPackaged: boolean;
  /** The update item as the flow's state shows it (updateMenuItem). */
  update: { label: string; enabled: boolean };
}

/**
 * The application menu: standard roles, "Open data folder", and the update item. Electron's
 * 'viewMenu' role carries "Toggle Developer Tools" (Ctrl+Shift+I), which would hand anyone at the
 * keyboard a console inside the window that holds the service's IPC; the installed app gets a View
 * menu without it.
 */
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
    o.isPackaged ? packagedViewMenu() : { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ ...o.update, click: () => actions.updates() }],
    },
  ];
}

function packagedViewMenu(): MenuItemConstructorOptions {
  return {
    label: 'View',
    submenu: [
      { role: 'reload' },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
}
