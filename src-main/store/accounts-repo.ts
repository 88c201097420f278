import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { FirmdropError } from '../core/errors';
import { sqliteCode } from './sqlite-errors';
import { TERMINAL_STATES_SQL } from './upload-rows';
import type { Account, AccountPatch, NewAccount, RegionLabel } from './types';
import { writeTransaction } from './write-transaction';

interface AccountRow {
  id: string;
  name: string;
  base_url: string;
  region: string;
  dm_account_id: string | null;
  display_name: string | null;
  tier: string | null;
  is_sandbox: number;
  created_at: number;
  updated_at: number;
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id,
    name: r.name,
    baseUrl: r.base_url,
    region: r.region as RegionLabel,
    dmAccountId: r.dm_account_id,
    displayName: r.display_name,
    tier: r.tier,
    isSandbox: r.is_sandbox === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const PATCH_COLUMNS = {
  name: 'name',
  baseUrl: 'base_url',
  region: 'region',
  dmAccountId: 'dm_account_id',
  displayName: 'display_name',
  tier: 'tier',
  isSandbox: 'is_sandbox',
} as const satisfies Record<keyof AccountPatch, string>;

export interface AccountsRepo {
  create(input: NewAccount): Account;
  get(id: string): Account | undefined;
  getByName(name: string): Account | undefined;
  /** Ordered by name (case-insensitive). */
  list(): Account[];
  update(id: string, patch: AccountPatch): Account;
  /**
   * Deletes the account with its upload history and caches. Refuses while it has unfinished
   * uploads. Returns false when there was no such account. (The keychain entry is the caller's.)
   */
  delete(id: string): boolean;
  /** Throws what `delete` would throw for an account with unfinished uploads; else nothing. */
  assertRemovable(id: string): void;
}

function nameTaken(name: string, cause: unknown): FirmdropError {
  return new FirmdropError(
    'name-taken',
    `An account named "${name}" already exists (names ignore case). Choose another name.`,
    { cause },
  );
}

function rethrowUnique(err: unknown, name: string | undefined): never {
  if (name !== undefined && sqliteCode(err) === 'SQLITE_CONSTRAINT_UNIQUE') {
    throw nameTaken(name, err);
  }
  throw err;
}

export function createAccountsRepo(db: Database, now: () => number = Date.now): AccountsRepo {
  const insert = db.prepare(`
    INSERT INTO accounts (id, name, base_url, region, dm_account_id, display_name, tier,
                          is_sandbox, created_at, updated_at)
    VALUES (@id, @name, @base_url, @region, @dm_account_id, @display_name, @tier,
            @is_sandbox, @created_at, @updated_at)`);
  const byId = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE id = ?');
  const byName = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE name = ?');
  const all = db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY name, id');
  const unfinished = db.prepare<[string], { n: number }>(`
    SELECT count(*) AS n FROM uploads
    WHERE account_id = ? AND state NOT IN (${TERMINAL_STATES_SQL})`);
  const remove = db.prepare<[string]>('DELETE FROM accounts WHERE id = ?');

  const refuseUnfinished = (account: Account) => {
    const n = unfinished.get(account.id)?.n ?? 0;
    if (n > 0) {
      throw new FirmdropError(
        'invalid-input',
        `The account "${account.name}" still has ${n} unfinished upload${n === 1 ? '' : 's'}. ` +
          `Cancel or finish ${n === 1 ? 'it' : 'them'}, then remove the account.`,
      );
    }
  };

  const get = (id: string) => {
    const row = byId.get(id);
    return row && toAccount(row);
  };
  const mustGet = (id: string) => {
    const account = get(id);
    if (!account) throw new FirmdropError('not-found', `No account with id ${id} exists.`);
    return account;
  };

  return {
    create(input) {
      const t = now();
      const id = input.id ?? randomUUID();
      try {
        insert.run({
          id,
          name: input.name,
          base_url: input.baseUrl,
          region: input.region,
          dm_account_id: input.dmAccountId ?? null,
          display_name: input.displayName ?? null,
          tier: input.tier ?? null,
          is_sandbox: input.isSandbox ? 1 : 0,
          created_at: t,
          updated_at: t,
        });
      } catch (err) {
        rethrowUnique(err, input.name);
      }
      return mustGet(id);
    },
    get,
    getByName(name) {
      const row = byName.get(name);
      return row && toAccount(row);
    },
    list: () => all.all().map(toAccount),
    update(id, patch) {
      const sets: string[] = [];
      const values: Record<string, unknown> = { id, updated_at: now() };
      for (const [field, column] of Object.entries(PATCH_COLUMNS)) {
        const value = patch[field as keyof AccountPatch];
        if (value === undefined) continue;
        sets.push(`${column} = @${column}`);
        values[column] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
      }
      if (sets.length > 0) {
        const sql = `UPDATE accounts SET ${sets.join(', ')}, updated_at = @updated_at WHERE id = @id`;
        try {
          if (db.prepare(sql).run(values).changes === 0) mustGet(id);
        } catch (err) {
          rethrowUnique(err, patch.name);
        }
      }
      return mustGet(id);
    },
    delete: writeTransaction(db, (id: string) => {
      const account = get(id);
      if (!account) return false;
      refuseUnfinished(account);
      remove.run(id);
      return true;
    }),
    assertRemovable(id) {
      const account = get(id);
      if (account) refuseUnfinished(account);
    },
  };
}
