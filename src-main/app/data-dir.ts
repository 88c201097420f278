import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FirmdropError } from '../core/errors';
import { APP_LOCK_FILE } from '../store/app-lock';
import { ensurePrivateDir, hasFileModes, tightenTree } from '../store/private-files';
import { DATABASE_FILE, SANDBOX_FOLDER, STAGING_FOLDER } from './paths';

/**
 * Entries of the data folder that Firmdrop made: its database (with -wal, -shm, and damaged
 * copies set aside as firmdrop.db.corrupt-…), the app lock, staged copies, the embedded sandbox.
 */
function isFirmdropEntry(name: string): boolean {
  return (
    name.startsWith(DATABASE_FILE) ||
    name.startsWith(APP_LOCK_FILE) ||
    name === STAGING_FOLDER ||
    name === SANDBOX_FOLDER
  );
}

/**
 * Every start: the data folder exists and is 0700, and Firmdrop's own entries in it are 0600
 * files in 0700 folders, which fixes installs made when they were 0755/0644. Other entries (the
 * desktop app's Electron caches share the folder) are left as they are: the folder keeps them.
 */
export function preparePrivateDataDir(dataDir: string): void {
  ensureDataDir(dataDir);
  if (!hasFileModes()) return;
  try {
    for (const name of readdirSync(dataDir)) {
      if (isFirmdropEntry(name)) tightenTree(join(dataDir, name));
    }
  } catch (err) {
    throw dataDirError(dataDir, 'could not make its files private', err);
  }
}

/** The data folder exists and is 0700 (only its owner may enter it). */
export function ensureDataDir(dataDir: string): void {
  try {
    ensurePrivateDir(dataDir);
  } catch (err) {
    throw dataDirError(dataDir, 'could not be created or made private', err);
  }
}

function dataDirError(dataDir: string, what: string, err: unknown): FirmdropError {
  const path = (err as { path?: unknown }).path;
  const where = typeof path === 'string' && path !== dataDir ? ` (at ${path})` : '';
  return new FirmdropError(
    'storage',
    `Firmdrop's data folder ${dataDir} ${what}${where}: ${(err as Error).message}. Check that the folder and its files belong to you (for example, not created by an administrator run), or choose another folder with FIRMDROP_DATA_DIR (--data-dir for the firmdrop command).`,
    { cause: err },
  );
}
