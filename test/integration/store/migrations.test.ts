import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isFirmdropError } from '../../../src-main/core/errors';
import {
  LATEST_SCHEMA_VERSION,
  migrate,
  migrations,
  openDatabase,
  schemaVersion,
} from '../../../src-main/store';
import type { Migration } from '../../../src-main/store';
import { useTempDir } from './temp-store';

const tmp = useTempDir();

function rawDb(): Database {
  return new Sqlite(join(tmp.dir(), 'raw.db'));
}

function tables(db: Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
}

function columns(db: Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
}

describe('migrations', () => {
  it('a fresh database ends at the latest version with every table', () => {
    const { db } = openDatabase({ file: join(tmp.dir(), 'fresh.db') });
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(tables(db)).toEqual([
      'accounts',
      'images_cache',
      'jobs_cache',
      'settings',
      'upload_chunks',
      'upload_leases',
      'uploads',
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('001-initial creates accounts, the upload journal, chunks and settings', () => {
    const db = rawDb();
    expect(migrate(db, migrations.slice(0, 1))).toEqual([1]);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['accounts', 'settings', 'upload_chunks', 'uploads']);
    expect(columns(db, 'upload_chunks')).toEqual([
      'upload_id',
      'idx',
      'offset',
      'length',
      'md5',
      'server_chunk_id',
      'acked',
      'acked_at',
    ]);
    expect(columns(db, 'uploads')).toContain('encrypted_datafile_size');
    db.close();
  });

  it('002-server-cache upgrades a version-1 database that holds data, keeping the data', () => {
    const db = rawDb();
    migrate(db, migrations.slice(0, 1));
    db.exec(`
      INSERT INTO accounts (id, name, base_url, region, created_at, updated_at)
        VALUES ('a1', 'Lab', 'https://api.us-east-1.mbedcloud.com', 'us-east-1', 1, 1);
      INSERT INTO uploads (id, account_id, file_path, file_size, file_mtime_ms, name, path, state,
                           created_at, updated_at)
        VALUES ('u1', 'a1', '/f.bin', 10, 1.5, 'f', 'job', 'uploading', 2, 2);
      INSERT INTO upload_chunks (upload_id, idx, offset, length, md5)
        VALUES ('u1', 0, 0, 10, '0123456789abcdef0123456789abcdef');
      INSERT INTO settings (name, value) VALUES ('chunkSizeMiB', '16');
    `);
    db.close();

    // The real start-up path, on the real file.
    const file = db.name;
    const reopened = openDatabase({ file });
    expect(reopened.recovered).toBeUndefined();
    const up = reopened.db;
    expect(schemaVersion(up)).toBe(LATEST_SCHEMA_VERSION);
    expect(tables(up)).toContain('images_cache');
    expect(up.prepare('SELECT name FROM accounts').all()).toEqual([{ name: 'Lab' }]);
    expect(up.prepare('SELECT state, file_mtime_ms FROM uploads').get()).toEqual({
      state: 'uploading',
      file_mtime_ms: 1.5,
    });
    expect(up.prepare('SELECT count(*) AS n FROM upload_chunks').get()).toEqual({ n: 1 });
    up.prepare(
      `INSERT INTO images_cache (account_id, id, name, data, fetched_at) VALUES ('a1', 'i1', 'f', '{}', 3)`,
    ).run();
    up.close();
  });

  it('003-sent-markers adds the create/complete markers to a version-2 journal, null for old rows', () => {
    const db = rawDb();
    migrate(db, migrations.slice(0, 2));
    db.exec(`
      INSERT INTO accounts (id, name, base_url, region, created_at, updated_at)
        VALUES ('a1', 'Lab', 'https://api.us-east-1.mbedcloud.com', 'us-east-1', 1, 1);
      INSERT INTO uploads (id, account_id, file_path, file_size, file_mtime_ms, name, path, state,
                           created_at, updated_at)
        VALUES ('u1', 'a1', '/f.bin', 10, 1.5, 'f', 'job', 'uploading', 2, 2);
    `);
    expect(migrate(db, migrations.slice(0, 3))).toEqual([3]);
    expect(columns(db, 'uploads')).toEqual(
      expect.arrayContaining(['create_sent_at', 'complete_sent_at']),
    );
    expect(db.prepare('SELECT create_sent_at, complete_sent_at FROM uploads').get()).toEqual({
      create_sent_at: null,
      complete_sent_at: null,
    });
    db.prepare('UPDATE uploads SET create_sent_at = 5 WHERE id = ?').run('u1');
    db.close();
  });

  it('004-leases adds the lease table and preflight_pending to a version-3 journal, keeping its rows', () => {
    const db = rawDb();
    migrate(db, migrations.slice(0, 3));
    db.exec(`
      INSERT INTO accounts (id, name, base_url, region, created_at, updated_at)
        VALUES ('a1', 'Lab', 'https://api.us-east-1.mbedcloud.com', 'us-east-1', 1, 1);
      INSERT INTO uploads (id, account_id, file_path, file_size, file_mtime_ms, name, path, state,
                           created_at, updated_at, create_sent_at)
        VALUES ('u1', 'a1', '/f.bin', 10, 1.5, 'f', 'job', 'uploading', 2, 2, 3);
      INSERT INTO upload_chunks (upload_id, idx, offset, length, md5)
        VALUES ('u1', 0, 0, 10, '0123456789abcdef0123456789abcdef');
    `);
    // Foreign keys on, as the app runs (database.ts), for the cascade below.
    db.pragma('foreign_keys = ON');
    expect(migrate(db, migrations.slice(0, 4))).toEqual([4]);
    expect(tables(db)).toContain('upload_leases');
    expect(columns(db, 'upload_leases')).toEqual([
      'upload_id',
      'owner_id',
      'owner_pid',
      'owner_host',
      'owner_kind',
      'acquired_at',
      'heartbeat_at',
      'expires_at',
    ]);
    const indexes = db.pragma('index_list(upload_leases)') as { name: string }[];
    expect(indexes.map((i) => i.name)).toContain('upload_leases_by_owner');
    // The old row is intact and has had its pre-flight checks.
    expect(
      db.prepare('SELECT state, create_sent_at, preflight_pending FROM uploads').get(),
    ).toEqual({ state: 'uploading', create_sent_at: 3, preflight_pending: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM upload_chunks').get()).toEqual({ n: 1 });
    expect(() => db.prepare('UPDATE uploads SET preflight_pending = 2').run()).toThrow(/CHECK/);

    const lease = db.prepare(
      `INSERT INTO upload_leases (upload_id, owner_id, owner_pid, owner_host, owner_kind,
                                  acquired_at, heartbeat_at, expires_at)
       VALUES (?, 'o1', 42, 'bench-1', 'cli', 5, 5, 30005)`,
    );
    expect(() => lease.run('ghost')).toThrow(/FOREIGN KEY/);
    lease.run('u1');
    // STRICT: a fractional time is refused rather than silently stored.
    expect(() => db.prepare('UPDATE upload_leases SET expires_at = 1.5').run()).toThrow(
      /cannot store REAL/,
    );
    // The lease goes with its upload.
    db.prepare("DELETE FROM uploads WHERE id = 'u1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM upload_leases').get()).toEqual({ n: 0 });
    db.close();
  });

  it('005-queue-and-cancel adds hidden_from_queue (0 for old rows) and cancel_at to a version-4 journal', () => {
    const db = rawDb();
    migrate(db, migrations.slice(0, 4));
    db.exec(`
      INSERT INTO accounts (id, name, base_url, region, created_at, updated_at)
        VALUES ('a1', 'Lab', 'https://api.us-east-1.mbedcloud.com', 'us-east-1', 1, 1);
      INSERT INTO uploads (id, account_id, file_path, file_size, file_mtime_ms, name, path, state,
                           created_at, updated_at, finished_at)
        VALUES ('u1', 'a1', '/f.bin', 10, 1.5, 'f', 'job', 'done', 2, 2, 3);
    `);
    expect(migrate(db, migrations.slice(0, 5))).toEqual([5]);
    expect(columns(db, 'uploads')).toEqual(
      expect.arrayContaining(['hidden_from_queue', 'cancel_at']),
    );
    // The finished upload is still history, still shown in the queue, with no cancel pending.
    expect(
      db.prepare('SELECT state, finished_at, hidden_from_queue, cancel_at FROM uploads').get(),
    ).toEqual({ state: 'done', finished_at: 3, hidden_from_queue: 0, cancel_at: null });
    expect(() => db.prepare('UPDATE uploads SET hidden_from_queue = 2').run()).toThrow(/CHECK/);
    db.close();
  });

  it('006-upload-groups adds group_id (null for old rows) with an index to a version-5 journal', () => {
    const db = rawDb();
    migrate(db, migrations.slice(0, 5));
    db.exec(`
      INSERT INTO accounts (id, name, base_url, region, created_at, updated_at)
        VALUES ('a1', 'Lab', 'https://api.us-east-1.mbedcloud.com', 'us-east-1', 1, 1);
      INSERT INTO uploads (id, account_id, file_path, file_size, file_mtime_ms, name, path, state,
                           created_at, updated_at)
        VALUES ('u1', 'a1', '/f.bin', 10, 1.5, 'f', 'job', 'done', 2, 2);
    `);
    expect(migrate(db, migrations.slice(0, 6))).toEqual([6]);
    expect(db.prepare('SELECT group_id FROM uploads').get()).toEqual({ group_id: null });
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM uploads WHERE group_id = 'g'")
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/uploads_group_id/);
    db.close();
  });

  it('a failing step rolls back completely and leaves the previous version', () => {
    const db = rawDb();
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_done (x INTEGER)');
        d.exec('THIS IS NOT SQL');
      },
    };
    expect(() => migrate(db, [migrations[0] as Migration, broken])).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half_done');
    db.close();
  });

  it('refuses a database from a newer Firmdrop and leaves the file untouched', () => {
    const file = join(tmp.dir(), 'newer.db');
    const db = new Sqlite(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    const before = readFileSync(file);
    let caught: unknown;
    try {
      openDatabase({ file });
    } catch (err) {
      caught = err;
    }
    expect(isFirmdropError(caught, 'storage')).toBe(true);
    expect((caught as Error).message).toMatch(/newer Firmdrop .*Update Firmdrop/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}.corrupt`)).toBe(false);
  });

  it('rejects a migration list with a gap', () => {
    const db = rawDb();
    const gap = [{ ...(migrations[0] as Migration), version: 2 }];
    expect(() => migrate(db, gap)).toThrow(/out of order/);
    db.close();
  });

  it('running the migrations again is a no-op', () => {
    const db = rawDb();
    expect(migrate(db)).toEqual(migrations.map((m) => m.version));
    expect(migrate(db)).toEqual([]);
    db.close();
  });
});
