import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * Security-relevant window settings live in one place so a unit test can pin them. The installed
 * app cannot open developer tools at all (not only not from the menu): a console in this window
 * could call every service channel.
 */
export function mainWindowOptions(
  preloadPath: string,
  o: { isPackaged: boolean; iconPath?: string },
): BrowserWindowConstructorOptions {
  return {
    // Windows and Linux show it in the title bar and task bar; macOS uses the bundle's icon.
    ...(o.iconPath ? { icon: o.iconPath } : {}),
    width: 1180,
    height: 780,
    minWidth: 880,
    minHeight: 560,
    show: false,
    title: 'Firmdrop',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
      devTools: !o.isPackaged,
    },
  };
}
