import type { Migration } from './types';

/**
 * `uploads.hidden_from_queue`: "Clear finished" on the Upload screen only tidies the queue. The
 * row stays — it is the local history (History → Local uploads, `firmdrop uploads`, the export,
 * the "verified here" badge) — and is deleted only by the explicit "Delete history" action.
 *
 * `uploads.cancel_at`: a cancel from a window waits a few seconds for "Undo" before the server
 * job is deleted (ms since the epoch; null when no cancel is pending). It is journaled, not only
 * kept in memory, so a cancel whose window closes with the app is carried out at the next start
 * rather than forgotten.
 */
export const migration005: Migration = {
  version: 5,
  name: 'queue-and-cancel',
  up(db) {
    db.exec(`
      ALTER TABLE uploads ADD COLUMN hidden_from_queue INTEGER NOT NULL DEFAULT 0
        CHECK (hidden_from_queue IN (0, 1));
      ALTER TABLE uploads ADD COLUMN cancel_at INTEGER;
    `);
  },
};
