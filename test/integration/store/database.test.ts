import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  LATEST_SCHEMA_VERSION,
  openDatabase,
  openStore,
  schemaVersion,
} from '../../../src-main/store';
import { sampleAccount, useTempDir } from './temp-store';

const tmp = useTempDir();

describe('openDatabase', () => {
  it('configures WAL, FULL sync, foreign keys and a busy timeout', () => {
    const { db, recovered } = openDatabase({ file: join(tmp.dir(), 'a.db'), busyTimeoutMs: 1234 });
    expect(recovered).toBeUndefined();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
    db.close();
  });

  it('creates missing parent folders', () => {
    const file = join(tmp.dir(), 'deep', 'er', 'firmdrop.db');
    const { db } = openDatabase({ file });
    expect(existsSync(file)).toBe(true);
    db.close();
  });

  it('reopens an existing database without a recovery notice and keeps its rows', () => {
    const file = join(tmp.dir(), 'keep.db');
    const first = openStore({ file });
    first.accounts.create(sampleAccount);
    first.close();
    const second = openStore({ file });
    expect(second.recovered).toBeUndefined();
    expect(second.accounts.list().map((a) => a.name)).toEqual([sampleAccount.name]);
    second.close();
  });
});

describe('a damaged database at start', () => {
  it('"file is not a database": moved aside with its -wal and -shm, a fresh one takes its place', () => {
    const dir = tmp.dir();
    const file = join(dir, 'firmdrop.db');
    const garbage = Buffer.alloc(16384, 0x41);
    writeFileSync(file, garbage);
    writeFileSync(`${file}-wal`, 'not a wal');
    writeFileSync(`${file}-shm`, 'not a shm');

    const { db, recovered } = openDatabase({ file });
    expect(recovered).toBeDefined();
    expect(recovered?.reason).toMatch(/SQLITE_NOTADB/);
    const movedTo = recovered?.movedTo ?? '';
    expect(movedTo).toMatch(/firmdrop\.db\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    expect(readFileSync(movedTo).equals(garbage)).toBe(true);
    expect(readFileSync(`${movedTo}-wal`, 'utf8')).toBe('not a wal');
    // The -shm is only SQLite's shared-memory index (rebuilt from the WAL); it moves along.
    expect(existsSync(`${movedTo}-shm`)).toBe(true);

    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) AS n FROM accounts').get()).toEqual({ n: 0 });
    db.close();
  });

  it('a failed integrity check (damaged b-tree pages) is recovered the same way', () => {
    const dir = tmp.dir();
    const file = join(dir, 'firmdrop.db');
    const store = openStore({ file });
    const account = store.accounts.create(sampleAccount);
    store.transaction(() => {
      for (let i = 0; i < 400; i++) {
        store.uploads.createUpload({
          accountId: account.id,
          filePath: `/fw/${'x'.repeat(200)}-${i}.bin`,
          fileSize: i,
          fileMtimeMs: i,
          name: `image-${i}`,
          path: 'small',
        });
      }
    });
    store.close(); // checkpoints the WAL into the main file
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Overwrite a few pages in the middle (not the header page) with noise.
    bytes.fill(0x5a, pageSize * 4, pageSize * 8);
    writeFileSync(file, bytes);

    const reopened = openStore({ file });
    expect(reopened.recovered?.reason).toMatch(/integrity check failed|SQLITE_CORRUPT/);
    expect(reopened.accounts.list()).toEqual([]);
    const aside = readdirSync(dir).filter((f) => f.includes('.corrupt-'));
    expect(aside.filter((f) => !/-(wal|shm)$/.test(f))).toHaveLength(1);
    expect(readFileSync(reopened.recovered?.movedTo ?? '').equals(bytes)).toBe(true);
    reopened.close();
  });

  it('two recoveries within the same millisecond do not overwrite each other', () => {
    const dir = tmp.dir();
    const file = join(dir, 'firmdrop.db');
    const moved = new Set<string>();
    for (let i = 0; i < 3; i++) {
      writeFileSync(file, `garbage ${i} `.repeat(1000));
      const { db, recovered } = openDatabase({ file });
      db.close();
      moved.add(recovered?.movedTo ?? '');
    }
    expect(moved.size).toBe(3);
    for (const m of moved) expect(readFileSync(m, 'utf8')).toMatch(/^garbage \d /);
  });

  it('a healthy database written by plain SQLite (no Firmdrop schema) is migrated, not moved', () => {
    const file = join(tmp.dir(), 'plain.db');
    const raw = new Sqlite(file);
    raw.exec('CREATE TABLE unrelated (x)');
    raw.close();
    const { db, recovered } = openDatabase({ file });
    expect(recovered).toBeUndefined();
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });
});
