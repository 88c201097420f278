import type { Database } from 'better-sqlite3';
import type { CachedItem, CachedJob } from './types';
import { writeTransaction } from './write-transaction';

/** The fields the cache indexes, as the service names them (snake_case JSON). */
export interface ServerObject {
  id: string;
  name: string;
  created_at?: string | null;
  [field: string]: unknown;
}

export interface ServerJob extends ServerObject {
  status?: string | null;
  firmware_image_id?: string | null;
}

export interface CacheTable<In extends ServerObject, Out> {
  /** A full refresh: afterwards the cache holds exactly `items` for this account. */
  replace(accountId: string, items: readonly In[], fetchedAt?: number): void;
  /** Adds or refreshes some items (e.g. the image an upload just created). */
  upsert(accountId: string, items: readonly In[], fetchedAt?: number): void;
  remove(accountId: string, id: string): boolean;
  get<T = unknown>(accountId: string, id: string): (Out & { data: T }) | undefined;
  /** Newest first (by the server's created_at). */
  list<T = unknown>(accountId: string, options?: { limit?: number }): (Out & { data: T })[];
  /** When the newest entry for this account was fetched, if any. */
  fetchedAt(accountId: string): number | undefined;
}

export interface CacheRepo {
  images: CacheTable<ServerObject, CachedItem>;
  jobs: CacheTable<ServerJob, CachedJob>;
}

interface CacheRow {
  account_id: string;
  id: string;
  name: string;
  created_at: number | null;
  data: string;
  fetched_at: number;
  status?: string | null;
  firmware_image_id?: string | null;
}

function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

function toItem(r: CacheRow): CachedItem {
  return {
    accountId: r.account_id,
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    fetchedAt: r.fetched_at,
    data: JSON.parse(r.data) as unknown,
  };
}

function toJob(r: CacheRow): CachedJob {
  return { ...toItem(r), status: r.status ?? null, firmwareImageId: r.firmware_image_id ?? null };
}

/** `table` and `extra` are constants of this file, never input. */
function createCacheTable<In extends ServerObject, Out extends CachedItem>(
  db: Database,
  table: 'images_cache' | 'jobs_cache',
  extra: Record<string, (item: In) => unknown>,
  map: (row: CacheRow) => Out,
  now: () => number,
): CacheTable<In, Out> {
  const extraColumns = Object.keys(extra);
  const columns = ['account_id', 'id', 'name', 'created_at', 'data', 'fetched_at', ...extraColumns];
  const upsertRow = db.prepare(`
    INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})
    ON CONFLICT (account_id, id) DO UPDATE SET
      ${columns
        .slice(2)
        .map((c) => `${c} = excluded.${c}`)
        .join(', ')}`);
  const removeAll = db.prepare<[string]>(`DELETE FROM ${table} WHERE account_id = ?`);
  const removeOne = db.prepare<[string, string]>(
    `DELETE FROM ${table} WHERE account_id = ? AND id = ?`,
  );
  const one = db.prepare<[string, string], CacheRow>(
    `SELECT * FROM ${table} WHERE account_id = ? AND id = ?`,
  );
  const page = db.prepare<[string, number], CacheRow>(
    `SELECT * FROM ${table} WHERE account_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
  );
  const newest = db.prepare<[string], { t: number | null }>(
    `SELECT max(fetched_at) AS t FROM ${table} WHERE account_id = ?`,
  );

  const write = (accountId: string, items: readonly In[], fetchedAt: number) => {
    for (const item of items) {
      const row: Record<string, unknown> = {
        account_id: accountId,
        id: item.id,
        name: item.name,
        created_at: parseTime(item.created_at),
        data: JSON.stringify(item),
        fetched_at: fetchedAt,
      };
      for (const [column, pick] of Object.entries(extra)) row[column] = pick(item) ?? null;
      upsertRow.run(row);
    }
  };

  return {
    replace: writeTransaction(db, (accountId: string, items: readonly In[], fetchedAt?: number) => {
      removeAll.run(accountId);
      write(accountId, items, fetchedAt ?? now());
    }),
    upsert: writeTransaction(db, (accountId: string, items: readonly In[], fetchedAt?: number) =>
      write(accountId, items, fetchedAt ?? now()),
    ),
    remove: (accountId, id) => removeOne.run(accountId, id).changes > 0,
    get<T>(accountId: string, id: string) {
      const row = one.get(accountId, id);
      // The JSON was written by `write` from the caller's own typed objects.
      return row && (map(row) as Out & { data: T });
    },
    list<T>(accountId: string, options?: { limit?: number }) {
      return page.all(accountId, options?.limit ?? 1000).map((r) => map(r) as Out & { data: T });
    },
    fetchedAt: (accountId) => newest.get(accountId)?.t ?? undefined,
  };
}

export function createCacheRepo(db: Database, now: () => number = Date.now): CacheRepo {
  return {
    images: createCacheTable<ServerObject, CachedItem>(db, 'images_cache', {}, toItem, now),
    jobs: createCacheTable<ServerJob, CachedJob>(
      db,
      'jobs_cache',
      { status: (j) => j.status, firmware_image_id: (j) => j.firmware_image_id },
      toJob,
      now,
    ),
  };
}
