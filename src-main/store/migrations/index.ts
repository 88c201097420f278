import type { Database } from 'better-sqlite3';
import { FirmdropError } from '../../core/errors';
import { migration001 } from './001-initial';
import { migration002 } from './002-server-cache';
import { migration003 } from './003-sent-markers';
import { migration004 } from './004-leases';
import { migration005 } from './005-queue-and-cancel';
import { migration006 } from './006-upload-groups';
import type { Migration } from './types';

export type { Migration } from './types';

/** Every schema step, in order. Versions are 1, 2, 3, … with no gaps. */
export const migrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
];

export const LATEST_SCHEMA_VERSION = migrations.length;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Refuses a database written by a newer Firmdrop, before anything (even the journal mode) is
 * written to it, so the newer version still finds its file intact. Returns the current version.
 */
export function assertKnownVersion(db: Database, latest: number = migrations.length): number {
  const current = schemaVersion(db);
  if (current > latest) {
    throw new FirmdropError(
      'storage',
      `This database was written by a newer Firmdrop (schema ${current}; this version knows ` +
        `${latest}). Update Firmdrop to open it; the file has not been changed.`,
    );
  }
  return current;
}

/**
 * Brings the schema up to the last migration. Each step and its `user_version` bump commit
 * together; a failing step rolls back alone and leaves the database at the previous version.
 * Returns the versions applied.
 */
export function migrate(db: Database, steps: readonly Migration[] = migrations): number[] {
  steps.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration list out of order: position ${i + 1} holds version ${m.version}`);
    }
  });
  const current = assertKnownVersion(db, steps.length);
  const applied: number[] = [];
  for (const m of steps.slice(current)) {
    const ran = db
      .transaction(() => {
        // Read again under the write lock: another process opening the same new database (two
        // firmdrop runs started at once) may have applied this step since `current` was read.
        if (schemaVersion(db) >= m.version) return false;
        m.up(db);
        // user_version lives in the database header, which is written by this same transaction.
        db.pragma(`user_version = ${m.version}`);
        return true;
      })
      .immediate();
    if (ran) applied.push(m.version);
  }
  return applied;
}
