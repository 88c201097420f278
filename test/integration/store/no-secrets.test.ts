import { readFileSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDir } from './temp-store';

const tmp = useTempDir();

/** Column names that could only exist to hold a credential. */
const CREDENTIAL_COLUMN = /key|secret|token|passw|credential|auth|bearer/i;

describe('the database has no place for an API key', () => {
  it('no column of any table is named like a credential', () => {
    const { db } = tmp.open();
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[];
    expect(tables.length).toBeGreaterThanOrEqual(6);
    const offenders: string[] = [];
    for (const { name } of tables) {
      for (const col of db.pragma(`table_info(${name})`) as { name: string }[]) {
        if (CREDENTIAL_COLUMN.test(col.name)) offenders.push(`${name}.${col.name}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('storing an account writes no key bytes to the files (documents the guarantee)', () => {
    // The key exists only here, in the test: the store's API has no parameter that could take it.
    const apiKey = 'ak_1MDE2YjJmNWYwZjZhMDI0MmFjMTIwMDA3MDAwMDAwMDA0SampleOnly';
    const store = tmp.open();
    const account = store.accounts.create({
      name: 'Production US',
      baseUrl: 'https://api.us-east-1.mbedcloud.com',
      region: 'us-east-1',
      dmAccountId: '016b2f5f0f6a0242ac12000700000000',
    });
    const file = store.file;
    store.close(); // folds the WAL into the main file

    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from(account.name))).toBe(true); // the scan can see rows
    expect(bytes.includes(Buffer.from(apiKey))).toBe(false);
    const raw = new Sqlite(file, { readonly: true });
    expect(JSON.stringify(raw.prepare('SELECT * FROM accounts').all())).not.toContain(apiKey);
    raw.close();
  });
});
