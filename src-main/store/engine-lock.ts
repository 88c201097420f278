import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { setTimeout as delay } from 'node:timers/promises';
import { FirmdropError } from '../core/errors';

export const ENGINE_LOCK_FILE = 'engine.lock';

/**
 * One upload engine per data directory at a time. Two processes running the same journal would
 * both resume an interrupted upload and append chunks to one job at once, which the service
 * stores in arrival order: the job would be ruined. The lock is SQLite's exclusive lock on a
 * file of its own (an OS file lock), so the OS drops it when the holder dies, even by SIGKILL,
 * and a crashed run never leaves a stale lock behind.
 */
export async function acquireEngineLock(
  dataDir: string,
  opts: { signal: AbortSignal; onWait: () => void; pollMs?: number; nativeBinding?: string },
): Promise<{ release(): void }> {
  const file = join(dataDir, ENGINE_LOCK_FILE);
  let told = false;
  for (;;) {
    const db = tryLock(file, opts.nativeBinding);
    if (db) return { release: () => db.close() };
    if (!told) {
      opts.onWait();
      told = true;
    }
    await delay(opts.pollMs ?? 200, undefined, { signal: opts.signal });
  }
}

/** Takes the lock now or returns null when another process holds it. */
export function tryEngineLock(dataDir: string, nativeBinding?: string): { release(): void } | null {
  const db = tryLock(join(dataDir, ENGINE_LOCK_FILE), nativeBinding);
  return db ? { release: () => db.close() } : null;
}

function tryLock(file: string, nativeBinding?: string): Database | null {
  let db: Database;
  try {
    db = new Sqlite(file, { timeout: 0, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (err) {
    throw new FirmdropError(
      'storage',
      `Could not open the upload lock ${file} (${(err as Error).message}). Check that the data directory is writable.`,
      { cause: err },
    );
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock; in this locking mode it is kept until close.
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return db;
  } catch (err) {
    db.close();
    if (String((err as { code?: unknown }).code).startsWith('SQLITE_BUSY')) return null;
    throw new FirmdropError(
      'storage',
      `Could not take the upload lock ${file} (${(err as Error).message}). Check that the data directory is writable.`,
      { cause: err },
    );
  }
}
