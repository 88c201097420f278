import type { Migration } from './types';

/**
 * `uploads.group_id`: the targets of one fan-out (one file sent to several accounts at once) share
 * an id, so the history can show them as one line ("fw.bin → 3 accounts, 3 verified"). Each target
 * stays its own upload with its own job, journal and lease; the group is only a label. Null for an
 * upload to one account. Indexed because the history lists a group's members by it.
 */
export const migration006: Migration = {
  version: 6,
  name: 'upload-groups',
  up(db) {
    db.exec(`
      ALTER TABLE uploads ADD COLUMN group_id TEXT;
      CREATE INDEX uploads_group_id ON uploads (group_id) WHERE group_id IS NOT NULL;
    `);
  },
};
