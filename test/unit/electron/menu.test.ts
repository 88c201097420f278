import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from '../../../src-main/shells/electron/menu';

// Electron cannot run here: the template is plain data, checked before Menu.buildFromTemplate.
const actions = () => {
  const clicks: string[] = [];
  return {
    clicks,
    actions: { updates: () => clicks.push('updates'), openDataFolder: () => clicks.push('data') },
  };
};
const update = { label: 'Check for updates…', enabled: true };

/** Every role and label in the template, submenus included. */
function entries(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    String(item.role ?? item.label ?? item.type),
    ...(Array.isArray(item.submenu) ? entries(item.submenu) : []),
  ]);
}

describe('application menu', () => {
  it('has no developer tools in the installed app', () => {
    const { actions: a } = actions();
    for (const isMac of [false, true]) {
      const packaged = entries(menuTemplate(a, { isMac, isPackaged: true, update }));
      // The 'viewMenu' role brings Toggle Developer Tools (and its shortcut) along.
      expect(packaged).not.toContain('viewMenu');
      expect(packaged).not.toContain('toggleDevTools');
      expect(packaged).toEqual(expect.arrayContaining(['View', 'reload', 'zoomIn']));
    }
  });

  it('keeps the full View menu, developer tools included, unpackaged (npm start)', () => {
    const { actions: a } = actions();
    expect(entries(menuTemplate(a, { isMac: false, isPackaged: false, update }))).toContain(
      'viewMenu',
    );
  });

  it('shows the update item as the update flow says, and routes its click to the flow', () => {
    const { actions: a, clicks } = actions();
    const template = menuTemplate(a, {
      isMac: false,
      isPackaged: true,
      update: { label: 'Downloading update… 42 %', enabled: false },
    });
    const help = template.find((m) => m.role === 'help');
    const item = (help?.submenu as MenuItemConstructorOptions[])[0]!;
    expect(item).toMatchObject({ label: 'Downloading update… 42 %', enabled: false });
    item.click?.({} as never, undefined, {} as never);
    expect(clicks).toEqual(['updates']);
  });
});
