import type { Migration } from './types';

/**
 * Accounts, the upload journal and its chunks, settings.
 * There is deliberately no column for an API key anywhere: keys live in the OS keychain.
 * Booleans are INTEGER 0/1 with a CHECK, times are ms since the epoch.
 */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE accounts (
        id            TEXT PRIMARY KEY NOT NULL,
        name          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) > 0),
        base_url      TEXT NOT NULL,
        region        TEXT NOT NULL,
        dm_account_id TEXT,
        display_name  TEXT,
        tier          TEXT,
        is_sandbox    INTEGER NOT NULL DEFAULT 0 CHECK (is_sandbox IN (0, 1)),
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE uploads (
        id                          TEXT PRIMARY KEY NOT NULL,
        account_id                  TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        file_path                   TEXT NOT NULL,
        file_size                   INTEGER NOT NULL CHECK (file_size >= 0),
        file_mtime_ms               REAL NOT NULL,
        sha256                      TEXT,
        name                        TEXT NOT NULL,
        description                 TEXT NOT NULL DEFAULT '',
        encryption                  INTEGER NOT NULL DEFAULT 0 CHECK (encryption IN (0, 1)),
        chunk_size                  INTEGER CHECK (chunk_size IS NULL OR chunk_size > 0),
        path                        TEXT NOT NULL CHECK (path IN ('small', 'job')),
        job_id                      TEXT,
        -- No CHECK: the states are core/upload-state's and may grow (see upload-rows.ts).
        state                       TEXT NOT NULL,
        bytes_acked                 INTEGER NOT NULL DEFAULT 0 CHECK (bytes_acked >= 0),
        image_id                    TEXT,
        datafile_url                TEXT,
        datafile_checksum           TEXT,
        datafile_size               INTEGER,
        encrypted_datafile_checksum TEXT,
        encrypted_datafile_size     INTEGER,
        verified                    INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
        error_code                  TEXT,
        error_message               TEXT,
        attempts                    INTEGER NOT NULL DEFAULT 0,
        created_at                  INTEGER NOT NULL,
        updated_at                  INTEGER NOT NULL,
        finished_at                 INTEGER
      ) STRICT;
      CREATE INDEX uploads_by_created ON uploads (created_at DESC, id DESC);
      CREATE INDEX uploads_by_account ON uploads (account_id, created_at DESC);
      CREATE INDEX uploads_by_state ON uploads (state);

      CREATE TABLE upload_chunks (
        upload_id       TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
        idx             INTEGER NOT NULL CHECK (idx >= 0),
        offset          INTEGER NOT NULL CHECK (offset >= 0),
        length          INTEGER NOT NULL CHECK (length >= 0),
        md5             TEXT NOT NULL CHECK (length(md5) = 32),
        server_chunk_id INTEGER,
        acked           INTEGER NOT NULL DEFAULT 0 CHECK (acked IN (0, 1)),
        acked_at        INTEGER,
        PRIMARY KEY (upload_id, idx)
      ) STRICT, WITHOUT ROWID;

      -- Named "name", not "key": no column anywhere may look like it could hold an API key.
      CREATE TABLE settings (
        name  TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL CHECK (json_valid(value))
      ) STRICT;
    `);
  },
};
