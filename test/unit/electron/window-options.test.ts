import { describe, expect, it } from 'vitest';
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
