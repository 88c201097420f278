import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  powerSaveBlocker,
  protocol,
  session,
  shell,
} from 'electron';
import { autoUpdater } from 'electron-updater';
import { bootApp, type BootedApp } from '../../app/boot';
import { createKeytarStore } from '../../app/adapters';
import { ActiveUploads } from './active-uploads';
import { appIconPath } from './app-icon';
import { APP_ENTRY, registerAppScheme, serveRenderer } from './app-protocol';
import { resolveDroppedFile } from './file-refs';
import { forwardEvents, registerIpc } from './ipc';
import { menuTemplate } from './menu';
import { notifyBatches } from './notify-batch';
import { keepAwakeDuringUploads } from './power';
import { quitMessage, shouldPreventQuit } from './quit-guard';
import { registerSaveExport } from './save-export';
import { refusePermissions } from './session-guards';
import { chooseSqliteBinding } from './sqlite-binding';
import { nativeDialogs } from './update-dialogs';
import { UpdateFlow, updateMenuItem } from './update-flow';
import { mainWindowOptions } from './window-options';

// Composition root of the desktop app: build, wire, open the window. Behaviour lives below app/.
let win: BrowserWindow | null = null;
let booted: BootedApp | null = null;
const contents = () => (win && !win.isDestroyed() ? win.webContents : null);

function openWindow(): void {
  win = new BrowserWindow(
    mainWindowOptions(join(__dirname, '../preload/preload.js'), {
      isPackaged: app.isPackaged,
      iconPath: appIconPath(app.getAppPath()),
    }),
  );
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win?.show());
  void win.loadURL(APP_ENTRY);
  win.on('closed', () => (win = null));
}

function sqliteBinding(): { sqliteBinding?: string } {
  const choice = chooseSqliteBinding({
    isPackaged: app.isPackaged,
    fromEnv: process.env.FIRMDROP_SQLITE_BINDING,
    appPath: app.getAppPath(),
    exists: existsSync,
  });
  if (choice.warning) console.warn(choice.warning);
  return choice.options;
}

async function start(): Promise<void> {
  // No remote content, ever: permissions are refused, and the page comes from app:// with its
  // Content-Security-Policy as a response header (the meta tag in index.html stays as a 2nd layer).
  refusePermissions(session.defaultSession);
  // A packaged macOS app shows its bundle's icon.icns in the Dock; `npm start` would show Electron's.
  if (process.platform === 'darwin' && !app.isPackaged)
    app.dock?.setIcon(appIconPath(app.getAppPath()));
  serveRenderer(protocol, { rendererDir: join(__dirname, '../renderer'), readFile });
  booted = await bootApp({
    dataDir: app.getPath('userData'),
    version: app.getVersion(),
    keychain: createKeytarStore(),
    // The preload hands over real paths (webUtils.getPathForFile); the engine checks each file.
    resolveFile: resolveDroppedFile,
    ...sqliteBinding(),
  });
  const { api, events } = booted.service;
  registerIpc(ipcMain, api, contents);
  forwardEvents(events, contents);
  const window = () => (win && !win.isDestroyed() ? win : null);
  registerSaveExport({
    ipcMain,
    api,
    window,
    dialog,
    writeFile: (path, content) => writeFile(path, content, 'utf8'),
  });
  notifyBatches(events, window, Notification);

  const active = new ActiveUploads(events);
  keepAwakeDuringUploads(active, powerSaveBlocker);
  const updates = new UpdateFlow({
    updater: autoUpdater,
    uploads: active,
    dialogs: nativeDialogs(dialog, () => (win && !win.isDestroyed() ? win : null)),
    currentVersion: app.getVersion(),
  });
  // The Help menu's update item shows where the update is ("Downloading update… 42 %").
  const setMenu = (): void =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        menuTemplate(
          {
            // The flow shows its own failures; this catches only a dialog that could not open.
            updates: () =>
              void updates.activate().catch((err: unknown) => console.error('Update flow:', err)),
            openDataFolder: () => void shell.openPath(app.getPath('userData')),
          },
          {
            isMac: process.platform === 'darwin',
            isPackaged: app.isPackaged,
            update: updateMenuItem(updates.state),
          },
        ),
      ),
    );
  updates.onChange(setMenu);
  setMenu();
  app.on('before-quit', (event) => {
    const ask = {
      confirmQuit: (count: number) => {
        const { message, detail } = quitMessage(count);
        return (
          dialog.showMessageBoxSync({
            type: 'question',
            buttons: ['Quit', 'Keep uploading'],
            defaultId: 1,
            cancelId: 1,
            message,
            detail,
          }) === 0
        );
      },
    };
    if (shouldPreventQuit(active, ask)) event.preventDefault();
  });
  app.on('will-quit', (event) => {
    if (!booted) return;
    event.preventDefault();
    const closing = booted;
    booted = null;
    void closing.close().finally(() => app.exit(0));
  });
  openWindow();
}

registerAppScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.whenReady().then(start, (err: unknown) => {
    dialog.showErrorBox(
      'Firmdrop could not start',
      err instanceof Error ? err.message : String(err),
    );
    app.exit(1);
  });
  app.on('window-all-closed', () => app.quit());
}
