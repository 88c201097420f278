import type { Migration } from './types';

/**
 * Ownership per upload instead of one engine per data directory. The app, the web shell and any
 * number of CLI runs share this journal; whoever holds an upload's row in `upload_leases` is the
 * only one allowed to send its chunks (see leases-repo.ts for how it is taken and kept). A lease
 * goes with its upload (ON DELETE CASCADE). `owner_id` is random per engine instance, so a lease
 * never outlives the engine that took it, even when the OS hands the same pid to a later process.
 *
 * `uploads.preflight_pending`: the upload was journaled while its account's host was unreachable,
 * so the server-side checks that normally come before the journal (quota) have not run yet and
 * must run before the first byte is sent. Existing rows have had theirs: 0.
 *
 * `uploads_by_updated`: an app shows what other processes do to the shared journal by asking,
 * every second, for the rows written since it last looked.
 */
export const migration004: Migration = {
  version: 4,
  name: 'leases',
  up(db) {
    db.exec(`
      CREATE TABLE upload_leases (
        upload_id    TEXT PRIMARY KEY NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
        owner_id     TEXT NOT NULL CHECK (length(owner_id) > 0),
        owner_pid    INTEGER NOT NULL CHECK (owner_pid > 0),
        owner_host   TEXT NOT NULL,
        -- No CHECK: 'app', 'cli', 'web' today; the list belongs to the shells and may grow.
        owner_kind   TEXT NOT NULL,
        acquired_at  INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL
      ) STRICT;
      -- renew and releaseAll work on every lease of one owner.
      CREATE INDEX upload_leases_by_owner ON upload_leases (owner_id);

      ALTER TABLE uploads ADD COLUMN preflight_pending INTEGER NOT NULL DEFAULT 0
        CHECK (preflight_pending IN (0, 1));
      CREATE INDEX uploads_by_updated ON uploads (updated_at);
    `);
  },
};
