import type { Database } from 'better-sqlite3';

/**
 * Wraps `fn` in a write transaction that takes the write lock at BEGIN (BEGIN IMMEDIATE).
 * A deferred transaction that reads and then writes can fail at once with SQLITE_BUSY when another
 * connection (the CLI beside the app) wrote in between, without waiting for busy_timeout.
 * Called inside another transaction it becomes a savepoint, so repo calls compose.
 */
export function writeTransaction<A extends unknown[], R>(
  db: Database,
  fn: (...args: A) => R,
): (...args: A) => R {
  const tx = db.transaction(fn);
  return (...args: A) => tx.immediate(...args);
}
