import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FirmdropError } from '../../../src-main/core/errors';
import { classifySqliteError, openDatabase, toStorageError } from '../../../src-main/store';
import { sampleAccount, useTempDir } from './temp-store';

const tmp = useTempDir();

/** The error `fn` throws (fails the test if it throws nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure, got none');
}

function expectStorage(err: unknown, pattern: RegExp): void {
  expect(err).toBeInstanceOf(FirmdropError);
  expect((err as FirmdropError).code).toBe('storage');
  expect((err as FirmdropError).message).toMatch(pattern);
  expect((err as FirmdropError).cause).toBeDefined();
}

describe('SQLite failures become storage errors that say what to do', () => {
  it('read-only: a write through a read-only connection', () => {
    const file = join(tmp.dir(), 'ro.db');
    openDatabase({ file }).db.close();
    const ro = new Sqlite(file, { readonly: true });
    const err = thrown(() => ro.prepare("INSERT INTO settings VALUES ('a', '1')").run());
    ro.close();
    expect(classifySqliteError(err)).toBe('readonly');
    expectStorage(toStorageError(err, file), /read-only\. Make .* writable/);
  });

  it('disk full: the database cannot grow (max_page_count reached) — through a repo call', () => {
    const store = tmp.open();
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    const err = thrown(() => {
      for (let i = 0; i < 200; i++) store.settings.set(`note-${i}`, 'x'.repeat(2000));
    });
    expectStorage(err, /is full\. Free some space/);
    expect(classifySqliteError((err as FirmdropError).cause)).toBe('full');
  });

  it('busy: another connection holds the write lock longer than busy_timeout', () => {
    const store = tmp.open({ busyTimeoutMs: 50 });
    const other = new Sqlite(store.file);
    other.exec('BEGIN IMMEDIATE');
    try {
      const err = thrown(() => store.accounts.create(sampleAccount));
      expectStorage(err, /locked by another process.*Close it, then try again/);
      expect(classifySqliteError((err as FirmdropError).cause)).toBe('busy');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // Once the lock is gone the same call succeeds: nothing was left half-written.
    expect(store.accounts.create(sampleAccount).name).toBe(sampleAccount.name);
  });

  it('cannot open: the folder for the database is a file', () => {
    const dir = tmp.dir();
    writeFileSync(join(dir, 'not-a-folder'), '');
    const err = thrown(() => openDatabase({ file: join(dir, 'not-a-folder', 'firmdrop.db') }));
    expectStorage(err, /cannot open its database.*Check that .* exists/);
  });

  it('corrupt at run time: the message says a restart repairs it', () => {
    const file = join(tmp.dir(), 'garbage.db');
    writeFileSync(file, Buffer.alloc(8192, 0x42));
    const raw = new Sqlite(file);
    const err = thrown(() => raw.pragma('user_version'));
    raw.close();
    expect(classifySqliteError(err)).toBe('corrupt');
    expectStorage(toStorageError(err, file), /is damaged\. Quit Firmdrop and start it again/);
  });

  it('a FirmdropError from a repo passes through unchanged', () => {
    const store = tmp.open();
    store.accounts.create(sampleAccount);
    const err = thrown(() => store.accounts.create(sampleAccount));
    expect((err as FirmdropError).code).toBe('name-taken');
  });
});
