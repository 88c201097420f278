import { describe, expect, it } from 'vitest';
import { chooseSqliteBinding } from '../../../src-main/shells/electron/sqlite-binding';

const devCopy = '/src/firmdrop/out/native/better-sqlite3/build/Release/better_sqlite3.node';
const input = (isPackaged: boolean, fromEnv?: string, built = true) => ({
  isPackaged,
  fromEnv,
  appPath: '/src/firmdrop',
  exists: (p: string) => built && p === devCopy,
});

describe('SQLite native module choice', () => {
  it('ignores FIRMDROP_SQLITE_BINDING in the packaged app, and says so', () => {
    const choice = chooseSqliteBinding(input(true, '/tmp/evil.node'));
    expect(choice.options).toEqual({});
    expect(choice.warning).toMatch(/FIRMDROP_SQLITE_BINDING is ignored.*Unset it/);
    expect(chooseSqliteBinding(input(true))).toEqual({ options: {} });
  });

  it('honours it unpackaged, before the Electron-ABI copy from `npm start`', () => {
    expect(chooseSqliteBinding(input(false, '/tmp/mine.node')).options).toEqual({
      sqliteBinding: '/tmp/mine.node',
    });
    expect(chooseSqliteBinding(input(false)).options).toEqual({ sqliteBinding: devCopy });
    expect(chooseSqliteBinding(input(false, undefined, false)).options).toEqual({});
  });
});
