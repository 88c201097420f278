import type { Database } from 'better-sqlite3';

/**
 * One schema step. `up` runs inside a transaction together with the `user_version` bump, so a
 * step is applied completely or not at all. Never edit a shipped migration: add the next one.
 * (A step that must rebuild a table needs foreign_keys OFF, which cannot change inside a
 * transaction: such a step will need its own runner path, per SQLite's "12-step" ALTER recipe.)
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
