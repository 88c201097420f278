import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ICON_FILE, appIconPath } from '../../../src-main/shells/electron/app-icon';
import { mainWindowOptions } from '../../../src-main/shells/electron/window-options';

describe('main window options', () => {
  it('isolate the renderer from Node', () => {
    const prefs = mainWindowOptions('/app/preload.js', { isPackaged: true }).webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
    });
  });

  it('allow developer tools only in an unpackaged app', () => {
    expect(mainWindowOptions('/p.js', { isPackaged: true }).webPreferences?.devTools).toBe(false);
    expect(mainWindowOptions('/p.js', { isPackaged: false }).webPreferences?.devTools).toBe(true);
  });
});

describe('the app icon', () => {
  it('is the window icon, and the file is in the repository and in the packaged app', () => {
    const root = join(__dirname, '../../..');
    const path = appIconPath(root);
    expect(mainWindowOptions('/p.js', { isPackaged: true, iconPath: path }).icon).toBe(path);
    expect(existsSync(path), `${path} (npm run icons makes it)`).toBe(true);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      build: { files: string[] };
    };
    expect(pkg.build.files).toContain(APP_ICON_FILE);
  });
});
