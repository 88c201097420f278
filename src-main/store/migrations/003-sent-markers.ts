import type { Migration } from './types';

/**
 * Journal-first for the two POSTs that are not chunks. `create_sent_at` is written before the
 * upload job (or the small multipart image) is created, `complete_sent_at` before the zero-length
 * completing chunk. After a crash or a lost answer the engine then knows it must ask the server
 * (find the job or image by name, read the job's status) instead of posting again.
 */
export const migration003: Migration = {
  version: 3,
  name: 'sent-markers',
  up(db) {
    db.exec(`
      ALTER TABLE uploads ADD COLUMN create_sent_at INTEGER;
      ALTER TABLE uploads ADD COLUMN complete_sent_at INTEGER;
    `);
  },
};
