import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { FirmdropError } from '../core/errors';
import { ensurePrivateFile } from './private-files';

export const APP_LOCK_FILE = 'app.lock';

/**
 * One desktop (or web) app per data folder. Not for uploads — those are owned one by one through
 * leases, so the CLI never waits on the app — but for what an app keeps for itself: the embedded
 * sandbox, whose server and data folder only one process may run. The lock is SQLite's exclusive
 * lock on a file of its own (an OS file lock), so the OS drops it when the holder dies, even by
 * SIGKILL, and a crashed app never leaves a stale lock behind.
 */
export function tryAppLock(dataDir: string, nativeBinding?: string): { release(): void } | null {
  const file = join(dataDir, APP_LOCK_FILE);
  let db: Database;
  try {
    // 0600 before SQLite opens it, so its -journal is private too (see openDatabase).
    ensurePrivateFile(file);
    db = new Sqlite(file, { timeout: 0, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (err) {
    throw new FirmdropError(
      'storage',
      `Could not open the app lock ${file} (${(err as Error).message}). Check that the data folder is writable.`,
      { cause: err },
    );
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; in this locking mode it is kept until close.
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return { release: () => db.close() };
  } catch (err) {
    db.close();
    if (String((err as { code?: unknown }).code).startsWith('SQLITE_BUSY')) return null;
    throw new FirmdropError(
      'storage',
      `Could not take the app lock ${file} (${(err as Error).message}). Check that the data folder is writable.`,
      { cause: err },
    );
  }
}
