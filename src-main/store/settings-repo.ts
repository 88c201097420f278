import type { Database } from 'better-sqlite3';
import { FirmdropError } from '../core/errors';

/**
 * Generic name → JSON settings. The app owns the defaults (see `typedSettings`); the store only
 * keeps what was set. Names that look like credentials are refused: keys belong in the keychain.
 */
export interface SettingsRepo {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  delete(name: string): boolean;
  all(): Record<string, unknown>;
}

const CREDENTIAL_NAME = /(api[-_ ]?key|secret|token|password|passphrase|credential|bearer)/i;

export function createSettingsRepo(db: Database): SettingsRepo {
  const one = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE name = ?');
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<[string]>('DELETE FROM settings WHERE name = ?');
  const every = db.prepare<[], { name: string; value: string }>(
    'SELECT name, value FROM settings ORDER BY name',
  );

  return {
    get(name) {
      const row = one.get(name);
      return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
    },
    set(name, value) {
      if (CREDENTIAL_NAME.test(name)) {
        throw new FirmdropError(
          'internal',
          `The setting "${name}" looks like a credential; credentials go to the OS keychain, never to the database.`,
        );
      }
      const json = JSON.stringify(value);
      if (json === undefined) {
        throw new FirmdropError(
          'internal',
          `The setting "${name}" has no JSON form; use delete to unset it.`,
        );
      }
      upsert.run(name, json);
    },
    delete: (name) => remove.run(name).changes > 0,
    all: () => Object.fromEntries(every.all().map((r) => [r.name, JSON.parse(r.value) as unknown])),
  };
}

export interface TypedSettings<S extends Record<string, unknown>> {
  /** The stored value, or the default when unset or of another JSON type than the default. */
  get<K extends keyof S & string>(name: K): S[K];
  set<K extends keyof S & string>(name: K, value: S[K]): void;
  /** Back to the default. */
  reset<K extends keyof S & string>(name: K): void;
  all(): S;
}

function jsonKind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * A typed view with the app's defaults, e.g. `typedSettings(store.settings, { chunkSizeMiB: 16 })`.
 * A stored value of another JSON type than its default (an older version wrote something else)
 * reads as the default rather than crashing the caller. A null default accepts anything.
 */
export function typedSettings<S extends Record<string, unknown>>(
  repo: SettingsRepo,
  defaults: S,
): TypedSettings<S> {
  const get = <K extends keyof S & string>(name: K): S[K] => {
    const stored = repo.get(name);
    const fallback = defaults[name];
    if (stored === undefined) return fallback;
    if (fallback !== null && jsonKind(stored) !== jsonKind(fallback)) return fallback;
    return stored as S[K];
  };
  return {
    get,
    set: (name, value) => repo.set(name, value),
    reset: (name) => void repo.delete(name),
    all: () => Object.fromEntries(Object.keys(defaults).map((name) => [name, get(name)])) as S,
  };
}
