import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Firmdrop keeps its journal: the same folder Electron's `app.getPath('userData')` gives for
 * the product name "Firmdrop", so the desktop app and the CLI share one journal and history.
 * FIRMDROP_DATA_DIR (or --data-dir) overrides it.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (env.FIRMDROP_DATA_DIR) return env.FIRMDROP_DATA_DIR;
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Firmdrop');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Firmdrop');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Firmdrop');
}

export const DATABASE_FILE = 'firmdrop.db';
/** The web shell's spooled copies of browser files. */
export const STAGING_FOLDER = 'staging';
/** The desktop app's embedded sandbox (its own server's data). */
export const SANDBOX_FOLDER = 'sandbox';
