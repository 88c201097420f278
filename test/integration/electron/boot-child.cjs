/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script: it hooks require() to put the electron double in place. */
// Boots a built out/main/main.js under plain Node with a recording double of the `electron`
// module (and of electron-updater, which needs Electron), drives it through `ready`, asks its
// app:// handler and one IPC channel, quits it, and prints what it saw as one JSON line.
// Usage: node boot-child.cjs <out/main/main.js> <data dir>
'use strict';
const Module = require('node:module');
const { EventEmitter } = require('node:events');
const { join } = require('node:path');

const [mainPath, dataDir] = process.argv.slice(2);
const record = {
  schemes: [],
  windows: [],
  loadedUrl: null,
  handlers: [],
  protocols: [],
  menuSet: false,
  permissionHandlers: 0,
  errorBoxes: [],
  unhandled: [],
  exitCode: null,
  entry: null,
  invoked: null,
  notDoubled: [],
};

process.on('unhandledRejection', (err) => record.unhandled.push(`rejection: ${describe(err)}`));
process.on('uncaughtException', (err) => record.unhandled.push(`exception: ${describe(err)}`));

function describe(err) {
  return err instanceof Error ? `${err.message}\n${err.stack}` : String(err);
}

/** Anything the bundle uses that the double lacks fails loudly, and is recorded. */
function strict(name, target) {
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop === 'symbol' || prop in t) return t[prop];
      if (prop === '__esModule' || prop === 'default' || prop === 'then') return undefined;
      record.notDoubled.push(`${name}.${prop}`);
      throw new Error(`the electron double has no ${name}.${prop}`);
    },
  });
}

let ready;
const whenReady = new Promise((resolve) => (ready = resolve));
const appEvents = new EventEmitter();
let finished;
const exited = new Promise((resolve) => (finished = resolve));

const app = strict('app', {
  isPackaged: false,
  getPath: (name) => join(dataDir, name),
  getVersion: () => '0.0.0-smoke',
  getAppPath: () => join(mainPath, '..', '..', '..'),
  requestSingleInstanceLock: () => true,
  whenReady: () => whenReady,
  on: (event, fn) => (appEvents.on(event, fn), app),
  once: (event, fn) => (appEvents.once(event, fn), app),
  quit: () => {
    const event = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    appEvents.emit('before-quit', event);
    if (event.defaultPrevented) return;
    const willQuit = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    appEvents.emit('will-quit', willQuit);
    if (!willQuit.defaultPrevented) app.exit(0);
  },
  exit: (code) => {
    record.exitCode = code;
    finished();
  },
});

class BrowserWindow {
  constructor(options) {
    record.windows.push(options);
    const mainFrame = {};
    this.events = new EventEmitter();
    this.webContents = strict('webContents', {
      mainFrame,
      setWindowOpenHandler: () => undefined,
      on: () => undefined,
      isDestroyed: () => false,
      send: () => undefined,
    });
    BrowserWindow.last = this;
    return strict('BrowserWindow', this);
  }
  once(event, fn) {
    this.events.once(event, fn);
  }
  on(event, fn) {
    this.events.on(event, fn);
  }
  loadURL(url) {
    record.loadedUrl = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  show() {}
}

/** Desktop notifications (a finished batch while the window is not focused): none at boot. */
class Notification {
  static isSupported() {
    return true;
  }
  constructor(options) {
    record.notifications = (record.notifications ?? 0) + 1;
    this.options = options;
  }
  show() {}
  on() {}
}

const ipcHandlers = new Map();
const protocolHandlers = new Map();
const electron = strict('electron', {
  app,
  BrowserWindow,
  Notification,
  ipcMain: strict('ipcMain', {
    handle: (channel, fn) => {
      record.handlers.push(channel);
      ipcHandlers.set(channel, fn);
    },
    removeHandler: (channel) => ipcHandlers.delete(channel),
  }),
  protocol: strict('protocol', {
    registerSchemesAsPrivileged: (schemes) => record.schemes.push(...schemes),
    handle: (scheme, fn) => {
      record.protocols.push(scheme);
      protocolHandlers.set(scheme, fn);
    },
  }),
  session: strict('session', {
    defaultSession: strict('defaultSession', {
      setPermissionRequestHandler: () => record.permissionHandlers++,
      setPermissionCheckHandler: () => record.permissionHandlers++,
    }),
  }),
  dialog: strict('dialog', {
    showErrorBox: (title, message) => record.errorBoxes.push(`${title}: ${message}`),
    showMessageBoxSync: () => 1,
    showMessageBox: async () => ({ response: 1 }),
  }),
  Menu: strict('Menu', {
    buildFromTemplate: (template) => template,
    setApplicationMenu: () => (record.menuSet = true),
  }),
  powerSaveBlocker: strict('powerSaveBlocker', {
    start: () => 1,
    stop: () => undefined,
    isStarted: () => false,
  }),
  shell: strict('shell', { openPath: async () => '' }),
});

const autoUpdater = Object.assign(new EventEmitter(), {
  autoDownload: true,
  autoInstallOnAppQuit: true,
  checkForUpdates: async () => null,
  downloadUpdate: async () => [],
  quitAndInstall: () => undefined,
});

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'electron') return electron;
  if (request === 'electron-updater') return { autoUpdater };
  return load.call(this, request, ...rest);
};

async function main() {
  require(mainPath);
  ready();
  appEvents.emit('ready');
  // start() ends by opening the window: wait for its page to be loaded, or for a failure.
  for (let i = 0; i < 2000 && record.loadedUrl === null; i++) {
    if (record.errorBoxes.length || record.unhandled.length || record.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const serve = protocolHandlers.get('app');
  if (record.loadedUrl !== null && serve) {
    const page = await serve(new Request(record.loadedUrl));
    const html = await page.text();
    // Every script and stylesheet the page names must be in the bundle too.
    const assets = [...html.matchAll(/(?:src|href)="\.?(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    const answers = [];
    for (const path of assets) {
      answers.push({ path, status: (await serve(new Request(`app://firmdrop${path}`))).status });
    }
    record.entry = {
      status: page.status,
      csp: page.headers.get('content-security-policy'),
      html,
      assets: answers,
    };
  }
  const info = ipcHandlers.get('app:info');
  const win = BrowserWindow.last;
  if (info && win) {
    const wc = win.webContents;
    record.invoked = await info({ sender: wc, senderFrame: wc.mainFrame }, undefined);
  }
  app.quit();
  await exited;
  // Give any late rejection of the shutdown a turn to surface.
  await new Promise((r) => setTimeout(r, 50));
  process.stdout.write(`BOOT-RECORD ${JSON.stringify(record)}\n`);
  process.exit(0);
}

main().catch((err) => {
  record.unhandled.push(`driver: ${describe(err)}`);
  process.stdout.write(`BOOT-RECORD ${JSON.stringify(record)}\n`);
  process.exit(0);
});
