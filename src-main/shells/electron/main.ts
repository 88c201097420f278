import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { mainWindowOptions } from './window-options';

// Composition root of the desktop app. Behaviour lives in app/ and below; this file only wires.
if (!app.requestSingleInstanceLock()) {
  app.quit();
}

async function openWindow(): Promise<void> {
  const win = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/preload.js')));
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  await win.loadFile(join(__dirname, '../renderer/index.html'));
}

app.whenReady().then(openWindow, (err: unknown) => {
  console.error('Firmdrop could not start:', err);
  app.exit(1);
});
app.on('window-all-closed', () => app.quit());
