import type { Migration } from './types';

/**
 * Per-account caches of the server's firmware images and upload jobs, so lists show at once and
 * work offline. The server's JSON is kept whole in `data`; a few fields are copied out to index
 * and sort on. Rows go with their account (ON DELETE CASCADE).
 */
export const migration002: Migration = {
  version: 2,
  name: 'server-cache',
  up(db) {
    db.exec(`
      CREATE TABLE images_cache (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        id         TEXT NOT NULL,
        name       TEXT NOT NULL,
        created_at INTEGER,
        data       TEXT NOT NULL CHECK (json_valid(data)),
        fetched_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX images_cache_by_created ON images_cache (account_id, created_at DESC);
      CREATE INDEX images_cache_by_name ON images_cache (account_id, name);

      CREATE TABLE jobs_cache (
        account_id        TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        id                TEXT NOT NULL,
        name              TEXT NOT NULL,
        status            TEXT,
        firmware_image_id TEXT,
        created_at        INTEGER,
        data              TEXT NOT NULL CHECK (json_valid(data)),
        fetched_at        INTEGER NOT NULL,
        PRIMARY KEY (account_id, id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX jobs_cache_by_created ON jobs_cache (account_id, created_at DESC);
      CREATE INDEX jobs_cache_by_name ON jobs_cache (account_id, name);
    `);
  },
};
