import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { FirmdropError } from '../core/errors';
import { moveAside } from './corrupt-recovery';
import { ensurePrivateDir, ensurePrivateFile, tightenFile } from './private-files';
import { assertKnownVersion, migrate } from './migrations';
import { isCorruption, sqliteCode, toStorageError } from './sqlite-errors';

export interface OpenDatabaseOptions {
  file: string;
  /** How long a write waits for another connection's lock before failing as "busy". */
  busyTimeoutMs?: number;
  /** A better-sqlite3 binary built for another ABI (Electron's), see TOOLCHAIN.md. */
  nativeBinding?: string;
}

export interface RecoveryNotice {
  /** Where the damaged file now is. */
  movedTo: string;
  /** What SQLite said about it (for the notice the app shows, and for support). */
  reason: string;
}

export interface OpenedDatabase {
  db: Database;
  recovered?: RecoveryNotice;
}

/** Thrown by checkIntegrity to route a failed integrity check to the recovery path. */
class CorruptDatabase extends Error {}

function configure(db: Database, busyTimeoutMs: number): void {
  // The first read of the header: a file that is not a database fails here (SQLITE_NOTADB).
  assertKnownVersion(db);
  switchToWal(db);
  // Durability: synchronous=FULL. The design rule is "durable before visible": a journal row
  // (journalChunk, setJob, createUpload) must survive a power cut once the request it describes
  // has been sent. In WAL mode synchronous=NORMAL stays consistent but may roll back the last
  // commits after a power loss; losing a journaled chunk would leave the server holding bytes the
  // journal never knew (a diverged job, restarted from zero), and losing a setJob would orphan a
  // job whose name then blocks the retry with 409. FULL costs one WAL fsync per commit, which
  // is noise next to sending a ≥ 5 MiB chunk.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Overwritten and deleted rows are zeroed in their pages rather than left readable in the file
  // (FAST: only where it costs no extra I/O). Settings once held a proxy password in plain text.
  db.pragma('secure_delete = FAST');
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
}

/**
 * WAL is kept in the file, so this only changes a new database. Two processes creating one at
 * once (two firmdrop runs started together) may both switch it; SQLite answers one of them with
 * SQLITE_BUSY at once rather than wait on a lock that could deadlock. That one asks again a
 * moment later, when the other has switched it.
 */
function switchToWal(db: Database): void {
  for (let tries = 1; ; tries++) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if (!sqliteCode(err)?.startsWith('SQLITE_BUSY') || tries >= 100) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function checkIntegrity(db: Database): void {
  // integrity_check either returns ["ok"] or lists problems, or throws SQLITE_CORRUPT itself.
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
  if (problems.length > 0) throw new CorruptDatabase(problems.slice(0, 3).join('; '));
}

/**
 * The file exists, 0600, before SQLite opens it: SQLite would create it 0644, and it gives the
 * -wal and -shm files the database's own mode. Companions left 0644 by an older version are
 * tightened once the connection has them.
 */
function openPrivately(options: OpenDatabaseOptions): Database {
  ensurePrivateFile(options.file);
  const db = new Sqlite(
    options.file,
    options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
  );
  return db;
}

function tightenCompanions(file: string): void {
  for (const suffix of ['-wal', '-shm', '-journal']) tightenFile(file + suffix);
}

function openAndPrepare(options: OpenDatabaseOptions, onFailure: (db: Database) => void): Database {
  const db = openPrivately(options);
  try {
    configure(db, options.busyTimeoutMs ?? 5000);
    tightenCompanions(options.file);
    checkIntegrity(db);
    migrate(db);
    return db;
  } catch (err) {
    onFailure(db);
    throw err;
  }
}

function closeQuietly(db: Database | undefined): void {
  try {
    if (db?.open) db.close();
  } catch {
    // Closing a damaged database may fail too; the handle is abandoned either way.
  }
}

/**
 * Moves the damaged files aside while the connection is still open: closing first would let
 * SQLite delete the -wal (possibly holding the newest transactions) or checkpoint into a broken
 * file. Where open files cannot be renamed (Windows), it closes first and tries again.
 */
function moveAsideThenClose(file: string, db: Database | undefined): string {
  try {
    return moveAside(file);
  } catch {
    closeQuietly(db);
    return moveAside(file);
  } finally {
    closeQuietly(db);
  }
}

function describeCorruption(err: unknown): string {
  if (err instanceof CorruptDatabase) return `integrity check failed: ${err.message}`;
  const code = sqliteCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code ? `${code}: ${message}` : message;
}

/**
 * Opens (creating if needed) the Firmdrop database: WAL, FULL sync, foreign keys, busy timeout,
 * integrity check, migrations. A damaged file is moved aside and replaced by a fresh database;
 * `recovered` then says so, and the app must tell the user (their upload history is in the old
 * file). Any other failure is a FirmdropError('storage') that says what to do.
 */
export function openDatabase(options: OpenDatabaseOptions): OpenedDatabase {
  const { file } = options;
  try {
    ensurePrivateDir(dirname(file));
  } catch (err) {
    throw toStorageError(err, file);
  }
  let failed: Database | undefined;
  try {
    return { db: openAndPrepare(options, (db) => (failed = db)) };
  } catch (err) {
    if (!(err instanceof CorruptDatabase) && !isCorruption(err)) {
      closeQuietly(failed);
      throw toStorageError(err, file);
    }
    const reason = describeCorruption(err);
    let movedTo: string;
    try {
      movedTo = moveAsideThenClose(file, failed);
    } catch (moveErr) {
      throw new FirmdropError(
        'storage',
        `Firmdrop's database (${file}) is damaged and could not be moved aside. Move or delete ` +
          `it yourself (with its -wal and -shm files), then start Firmdrop again.`,
        { cause: moveErr },
      );
    }
    try {
      return { db: openAndPrepare(options, closeQuietly), recovered: { movedTo, reason } };
    } catch (again) {
      throw toStorageError(again, file);
    }
  }
}
