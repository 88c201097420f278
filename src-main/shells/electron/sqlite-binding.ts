import { join } from 'node:path';

export interface SqliteBindingInput {
  isPackaged: boolean;
  /** FIRMDROP_SQLITE_BINDING, if set. */
  fromEnv: string | undefined;
  /** app.getAppPath(): where scripts/electron-native.mjs puts its Electron-ABI copy. */
  appPath: string;
  exists(path: string): boolean;
}

export interface SqliteBindingChoice {
  options: { sqliteBinding?: string };
  /** Said once on stderr when the environment asked for something that was refused. */
  warning?: string;
}

/**
 * Which native better-sqlite3 module main loads. Unpackaged (`npm start`) it is the Electron-ABI
 * copy that scripts/electron-native.mjs builds, or one named by FIRMDROP_SQLITE_BINDING, leaving
 * node_modules' Node build to the tests. Packaged, electron-builder has rebuilt node_modules for
 * Electron, and the variable is ignored: it would load any native code named in the environment
 * into a signed app that holds the keychain's API keys.
 */
export function chooseSqliteBinding(o: SqliteBindingInput): SqliteBindingChoice {
  if (o.isPackaged) {
    return o.fromEnv
      ? {
          options: {},
          warning:
            'FIRMDROP_SQLITE_BINDING is ignored: the installed app loads only its own SQLite module. ' +
            'Unset it, or use it with `npm start`.',
        }
      : { options: {} };
  }
  if (o.fromEnv) return { options: { sqliteBinding: o.fromEnv } };
  const dev = join(o.appPath, 'out/native/better-sqlite3/build/Release/better_sqlite3.node');
  return o.exists(dev) ? { options: { sqliteBinding: dev } } : { options: {} };
}
