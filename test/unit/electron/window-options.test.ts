import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from '../../../src-main/shells/electron/window-options';

describe('main window options', () => {
  it('isolate the renderer from Node', () => {
    const prefs = mainWindowOptions('/app/preload.js').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
    });
  });
});
