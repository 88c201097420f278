import { validationError } from './api-error';
import type { FieldError } from './api-error';

/** How a filterable field compares (the spec's `x-filter` tables). */
export type FieldKind = 'string' | 'number' | 'boolean' | 'date' | 'md5';
export type FilterFields = Record<string, FieldKind>;

type Op = 'eq' | 'neq' | 'in' | 'nin' | 'lte' | 'gte';
const OPS: readonly Op[] = ['eq', 'neq', 'in', 'nin', 'lte', 'gte'];

interface Filter {
  field: string;
  op: Op;
  values: Array<string | number | boolean>;
}

export interface ListQuery {
  limit: number;
  order: 'ASC' | 'DESC';
  after: string | null;
  includeTotal: boolean;
  filters: Filter[];
}

const RESERVED = new Set(['limit', 'order', 'after', 'include', 'filter']);

/**
 * Reads the list parameters every collection shares. Limits outside 2–1000 are clamped, as the
 * spec says; unknown parameters are ignored; malformed values are a 400 naming the parameter.
 * Filters come as `field__op=value` (or `field=value`), directly or inside `filter=<urlencoded>`.
 */
export function parseListQuery(params: URLSearchParams, fields: FilterFields): ListQuery {
  const errors: FieldError[] = [];
  let limit = 50;
  const rawLimit = params.get('limit');
  if (rawLimit !== null) {
    if (/^-?\d+$/.test(rawLimit.trim())) limit = Math.min(1000, Math.max(2, Number(rawLimit)));
    else errors.push({ name: 'limit', message: `must be an integer, got "${rawLimit}"` });
  }
  const rawOrder = (params.get('order') ?? 'ASC').toUpperCase();
  if (rawOrder !== 'ASC' && rawOrder !== 'DESC') {
    errors.push({ name: 'order', message: 'must be ASC or DESC' });
  }
  const include = (params.get('include') ?? '').split(',').map((s) => s.trim());
  const pairs = [...params.entries()].filter(([k]) => !RESERVED.has(k));
  for (const f of params.getAll('filter')) pairs.push(...new URLSearchParams(f).entries());
  const filters: Filter[] = [];
  for (const [key, value] of pairs) {
    const filter = parseFilter(key, value, fields, errors);
    if (filter) filters.push(filter);
  }
  if (errors.length > 0) throw validationError(errors);
  return {
    limit,
    order: rawOrder === 'DESC' ? 'DESC' : 'ASC',
    after: params.get('after') || null,
    includeTotal: include.includes('total_count'),
    filters,
  };
}

function parseFilter(
  key: string,
  raw: string,
  fields: FilterFields,
  errors: FieldError[],
): Filter | null {
  const m = /^(.+?)(?:__(eq|neq|in|nin|lte|gte))?$/.exec(key);
  const field = m?.[1] ?? key;
  const kind = fields[field];
  if (!kind) return null;
  const op = (m?.[2] ?? 'eq') as Op;
  if (!OPS.includes(op)) return null;
  if ((op === 'lte' || op === 'gte') && kind !== 'date' && kind !== 'number') {
    errors.push({ name: key, message: `${field} cannot be compared with __${op}` });
    return null;
  }
  const texts = op === 'in' || op === 'nin' ? raw.split(',') : [raw];
  const values: Array<string | number | boolean> = [];
  for (const text of texts) {
    const v = parseValue(kind, text.trim());
    if (v === undefined) {
      errors.push({ name: key, message: `"${text}" is not a valid ${kind}` });
      return null;
    }
    values.push(v);
  }
  return { field, op, values };
}

function parseValue(kind: FieldKind, text: string): string | number | boolean | undefined {
  switch (kind) {
    case 'string':
      return text;
    case 'md5':
      // Hashes are listed in hex, but the spec's own example filters with base64: take both.
      return /^[A-Za-z0-9+/]{22}==$/.test(text)
        ? Buffer.from(text, 'base64').toString('hex')
        : text;
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : undefined;
    case 'boolean':
      return text.toLowerCase() === 'true'
        ? true
        : text.toLowerCase() === 'false'
          ? false
          : undefined;
    case 'date':
      return parseTimestamp(text) ?? undefined;
  }
}

/**
 * Microseconds since the epoch from the three forms the spec allows:
 * `2016-11-30T16:25:12.1234Z`, `2016-11-30T16:25:12Z` and `20161130T162512Z`.
 */
export function parseTimestamp(text: string): number | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(?:\.(\d{1,6}))?Z$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return null;
  return ms * 1000 + Number((frac ?? '').padEnd(6, '0'));
}

function matchesFilter(item: Record<string, unknown>, f: Filter, kind: FieldKind): boolean {
  const raw = item[f.field];
  const actual = kind === 'date' && typeof raw === 'string' ? parseTimestamp(raw) : raw;
  const first = f.values[0];
  switch (f.op) {
    case 'eq':
      return actual === first;
    case 'neq':
      return actual !== first;
    case 'in':
      return f.values.includes(actual as string | number | boolean);
    case 'nin':
      return !f.values.includes(actual as string | number | boolean);
    case 'lte':
      return typeof actual === 'number' && actual <= (first as number);
    case 'gte':
      return typeof actual === 'number' && actual >= (first as number);
  }
}

export interface ListPage<T> {
  object: 'list';
  limit: number;
  order: 'ASC' | 'DESC';
  after: string | null;
  has_more: boolean;
  total_count?: number;
  data: T[];
}

/**
 * One page of `items` (given oldest first, i.e. by id). `after` is compared with ids rather than
 * looked up, so paging still works when the item it names was deleted meanwhile.
 */
export function listPage<T extends { id: string | number }>(
  items: T[],
  q: ListQuery,
  fields: FilterFields,
): ListPage<T> {
  const filtered = items.filter((item) =>
    q.filters.every((f) =>
      matchesFilter(item as Record<string, unknown>, f, fields[f.field] ?? 'string'),
    ),
  );
  const ordered = q.order === 'ASC' ? filtered : [...filtered].reverse();
  const start =
    q.after === null ? 0 : ordered.findIndex((item) => isAfter(item.id, q.after ?? '', q.order));
  const rest = start < 0 ? [] : ordered.slice(start);
  const page: ListPage<T> = {
    object: 'list',
    limit: q.limit,
    order: q.order,
    after: q.after,
    has_more: rest.length > q.limit,
    data: rest.slice(0, q.limit),
  };
  if (q.includeTotal) page.total_count = filtered.length;
  return page;
}

function isAfter(id: string | number, after: string, order: 'ASC' | 'DESC'): boolean {
  const cmp = typeof id === 'number' ? id - Number(after) : id < after ? -1 : id > after ? 1 : 0;
  return order === 'ASC' ? cmp > 0 : cmp < 0;
}
