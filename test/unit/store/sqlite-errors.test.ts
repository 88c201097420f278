import { describe, expect, it } from 'vitest';
import { FirmdropError } from '../../../src-main/core/errors';
import { classifySqliteError, toStorageError } from '../../../src-main/store';
import { LATEST_SCHEMA_VERSION, migrations } from '../../../src-main/store';

/** The shape Node's fs and better-sqlite3 give their errors: a message and a string `code`. */
const coded = (code: string) => Object.assign(new Error(code), { code });

describe('storage error classification', () => {
  it.each([
    ['SQLITE_NOTADB', 'corrupt'],
    ['SQLITE_CORRUPT_INDEX', 'corrupt'],
    ['SQLITE_READONLY_DBMOVED', 'readonly'],
    ['EROFS', 'readonly'],
    ['EACCES', 'readonly'],
    ['ENOSPC', 'full'],
    ['EDQUOT', 'full'],
    ['SQLITE_LOCKED_SHAREDCACHE', 'busy'],
    ['SQLITE_BUSY_SNAPSHOT', 'busy'],
    ['SQLITE_CANTOPEN_ISDIR', 'cantopen'],
    ['SQLITE_IOERR_FSYNC', 'io'],
    ['SQLITE_CONSTRAINT_UNIQUE', 'constraint'],
    ['SQLITE_MISUSE', 'other'],
  ])('%s → %s', (code, kind) => {
    expect(classifySqliteError(coded(code))).toBe(kind);
  });

  it('something that is not an error at all is "other"', () => {
    expect(classifySqliteError('boom')).toBe('other');
    expect(classifySqliteError(null)).toBe('other');
  });

  it('an I/O error says to check the disk; the cause rides along', () => {
    const cause = coded('SQLITE_IOERR_WRITE');
    const err = toStorageError(cause, '/data/firmdrop.db');
    expect(err).toMatchObject({ code: 'storage', cause });
    expect(err.message).toMatch(/disk reported an error .*Check the disk/);
  });

  it('never wraps a FirmdropError twice', () => {
    const original = new FirmdropError('not-found', 'gone');
    expect(toStorageError(original, '/x.db')).toBe(original);
  });
});

describe('migration list', () => {
  it('is numbered 1..N without gaps and has unique names', () => {
    expect(migrations.map((m) => m.version)).toEqual(
      Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1),
    );
    expect(new Set(migrations.map((m) => m.name)).size).toBe(migrations.length);
  });
});
