import type { Database } from 'better-sqlite3';
import { createAccountsRepo } from './accounts-repo';
import type { AccountsRepo } from './accounts-repo';
import { openDatabase } from './database';
import type { OpenDatabaseOptions, RecoveryNotice } from './database';
import { createLeasesRepo } from './leases-repo';
import type { LeasesRepo } from './leases-repo';
import { createSettingsRepo } from './settings-repo';
import type { SettingsRepo } from './settings-repo';
import { guardStorage } from './sqlite-errors';
import { createUploadsRepo } from './uploads-repo';
import type { UploadsRepo } from './uploads-repo';
import { writeTransaction } from './write-transaction';

export interface OpenStoreOptions extends OpenDatabaseOptions {
  /** The clock for created_at/updated_at/acked_at (ms since the epoch). */
  now?: () => number;
}

/** The one door to Firmdrop's database. Every repo call throws FirmdropError on failure. */
export interface Store {
  readonly db: Database;
  readonly file: string;
  /** Set when a damaged database was moved aside at open: tell the user. */
  readonly recovered: RecoveryNotice | undefined;
  readonly accounts: AccountsRepo;
  readonly uploads: UploadsRepo;
  /** Which engine (app, web shell, CLI run) owns which upload right now. */
  readonly leases: LeasesRepo;
  readonly settings: SettingsRepo;
  /** Runs several repo calls as one write transaction (e.g. resetChunks + setJob). */
  transaction<T>(fn: () => T): T;
  /**
   * Folds the WAL into the database and empties it, so a value just overwritten (a password an
   * older version kept in the settings) leaves no copy in the files. Best effort: another
   * connection reading at that moment keeps the WAL until it is done.
   */
  foldWal(): void;
  close(): void;
}

/** Turns every SQLite failure of a repo method into a FirmdropError('storage') naming the file. */
function guarded<T extends object>(repo: T, file: string): T {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repo)) {
    out[name] =
      typeof value === 'function'
        ? (...args: unknown[]) =>
            guardStorage(file, () => (value as (...a: unknown[]) => unknown)(...args))
        : value;
  }
  return out as T;
}

export function openStore(options: OpenStoreOptions): Store {
  const { db, recovered } = openDatabase(options);
  const { file } = options;
  const now = options.now ?? Date.now;
  return {
    db,
    file,
    recovered,
    accounts: guarded(createAccountsRepo(db, now), file),
    uploads: guarded(createUploadsRepo(db, now), file),
    leases: guarded(createLeasesRepo(db), file),
    settings: guarded(createSettingsRepo(db), file),
    transaction: <T>(fn: () => T): T => guardStorage(file, () => writeTransaction(db, fn)()),
    foldWal: () => guardStorage(file, () => void db.pragma('wal_checkpoint(TRUNCATE)')),
    close: () => guardStorage(file, () => db.close()),
  };
}
