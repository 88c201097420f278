import { FirmdropError } from '../core/errors';
import { LIST_LIMIT_MAX, LIST_LIMIT_MIN } from '../core/limits';

/** Paging and ordering common to every list endpoint. */
export interface ListQuery {
  /** 2–1000 (the service clamps; we refuse out-of-range values instead of being surprised). */
  limit?: number;
  /** Id of the last item of the previous page. */
  after?: string;
  order?: 'ASC' | 'DESC';
  include?: 'total_count';
  /** The raw URL-encoded `filter` parameter, for anything the typed filters do not cover. */
  filter?: string;
}

type Op<F extends string, O extends string, T> = { [K in `${F}__${O}`]?: T };
type List = string | readonly string[];
type Stamp = Op<'created_at' | 'updated_at', 'lte' | 'gte', string> &
  Op<'created_at' | 'updated_at', 'in' | 'nin', List>;

/** Filters GET /v3/firmware-images/ accepts (x-filter in the spec). */
export type ImageListQuery = ListQuery &
  Stamp &
  Op<'datafile' | 'datafile_checksum' | 'description' | 'id' | 'name', 'eq' | 'neq', string> &
  Op<'datafile' | 'datafile_checksum' | 'description' | 'id' | 'name', 'in' | 'nin', List> &
  Op<'datafile_size', 'eq' | 'neq', number> &
  Op<'datafile_size', 'in' | 'nin', List>;

/** Filters GET /v3/firmware-images/upload-jobs accepts. */
export type UploadJobListQuery = ListQuery &
  Stamp &
  Op<'name' | 'description' | 'id' | 'status', 'eq' | 'neq', string> &
  Op<'name' | 'description' | 'id' | 'status', 'in' | 'nin', List> &
  Op<'complete', 'eq' | 'neq', boolean>;

/** Filters GET …/upload-jobs/{id}/chunks accepts. */
export type ChunkListQuery = ListQuery &
  Stamp &
  Op<'id' | 'length', 'eq' | 'neq', number> &
  Op<'id' | 'length', 'in' | 'nin', List> &
  Op<'length', 'lte' | 'gte', number> &
  Op<'hash', 'eq' | 'neq', string> &
  Op<'hash', 'in' | 'nin', List>;

export type AnyListQuery = ImageListQuery | UploadJobListQuery | ChunkListQuery;

export function toSearchParams(query: AnyListQuery | undefined): URLSearchParams {
  const params = new URLSearchParams();
  if (!query) return params;
  if (query.limit !== undefined) {
    const { limit } = query;
    if (!Number.isInteger(limit) || limit < LIST_LIMIT_MIN || limit > LIST_LIMIT_MAX) {
      throw new FirmdropError(
        'invalid-input',
        `A page size must be a whole number from ${LIST_LIMIT_MIN} to ${LIST_LIMIT_MAX}, not ${limit}.`,
      );
    }
  }
  // Sorted keys give stable URLs (handy in logs and tests).
  for (const key of Object.keys(query).sort()) {
    const value = (query as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) params.set(key, value.join(','));
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      params.set(key, String(value));
    }
  }
  return params;
}
