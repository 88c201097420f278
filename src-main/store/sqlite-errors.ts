import { dirname } from 'node:path';
import { FirmdropError } from '../core/errors';

/**
 * What went wrong with the database, in terms a person can act on (the idea of Signal-Desktop's
 * ts/sql/errors.ts: corrupt and read-only are different stories for the user).
 */
export type StorageFailure =
  'corrupt' | 'readonly' | 'full' | 'busy' | 'cantopen' | 'io' | 'constraint' | 'other';

/** The SQLite result code of a better-sqlite3 SqliteError (or a Node fs error code), if any. */
export function sqliteCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function classifySqliteError(err: unknown): StorageFailure {
  const code = sqliteCode(err) ?? '';
  const message = err instanceof Error ? err.message : '';
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return 'corrupt';
  if (
    code.startsWith('SQLITE_READONLY') ||
    code === 'EROFS' ||
    code === 'EACCES' ||
    code === 'EPERM'
  )
    return 'readonly';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    code === 'ENOTDIR' ||
    code === 'EISDIR' ||
    code === 'EEXIST' ||
    code === 'ENOENT' ||
    /directory does not exist/i.test(message)
  )
    return 'cantopen';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
  if (code.startsWith('SQLITE_CONSTRAINT')) return 'constraint';
  return 'other';
}

export function isCorruption(err: unknown): boolean {
  return classifySqliteError(err) === 'corrupt';
}

function messageFor(kind: StorageFailure, file: string): string {
  const dir = dirname(file);
  switch (kind) {
    case 'corrupt':
      return (
        `Firmdrop's database (${file}) is damaged. Quit Firmdrop and start it again: the damaged ` +
        `file is moved aside and a fresh one is created (your API keys are in the OS keychain and are not affected).`
      );
    case 'readonly':
      return (
        `Firmdrop cannot write its database (${file}): the file or its folder is read-only. ` +
        `Make ${dir} writable for your user (check permissions and read-only mounts), then try again.`
      );
    case 'full':
      return (
        `The disk that holds Firmdrop's database (${dir}) is full. Free some space, then try again; ` +
        `what was already saved is intact.`
      );
    case 'busy':
      return (
        `Firmdrop's database (${file}) is locked by another process — probably a second Firmdrop ` +
        `window or a running firmdrop command. Close it, then try again.`
      );
    case 'cantopen':
      return (
        `Firmdrop cannot open its database (${file}). Check that ${dir} exists and that your user ` +
        `can create files in it, then start Firmdrop again.`
      );
    case 'io':
      return (
        `The disk reported an error while Firmdrop used its database (${file}). Check the disk ` +
        `(and that it is still mounted), then start Firmdrop again.`
      );
    case 'constraint':
      return (
        `Firmdrop tried to save data that its database (${file}) does not accept. Nothing was ` +
        `changed. This is a bug in Firmdrop: please report it with the log.`
      );
    case 'other':
      return `Firmdrop's database (${file}) failed unexpectedly. Start Firmdrop again; if it keeps happening, report it with the log.`;
  }
}

/** A FirmdropError('storage') (or 'internal' for a violated constraint) that says what happened to the database and what to do. */
export function toStorageError(err: unknown, file: string): FirmdropError {
  if (err instanceof FirmdropError) return err;
  const kind = classifySqliteError(err);
  // A violated constraint is our own bug, not a state of the disk the user could fix.
  const code = kind === 'constraint' ? 'internal' : 'storage';
  return new FirmdropError(code, messageFor(kind, file), { cause: err });
}

/** An error raised by SQLite itself or by the file system, as opposed to a bug or a caller's throw. */
function fromStorage(err: unknown): boolean {
  const code = sqliteCode(err) ?? '';
  return code.startsWith('SQLITE_') || /^E[A-Z]+$/.test(code);
}

/**
 * Runs `fn`, turning SQLite and file-system failures into FirmdropError('storage'). Anything else
 * (a FirmdropError from a repo, an error thrown inside a caller's transaction) passes unchanged.
 */
export function guardStorage<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw fromStorage(err) ? toStorageError(err, file) : err;
  }
}
