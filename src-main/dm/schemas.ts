import * as v from 'valibot';
import { idProblem } from '../core/ids';
import { badResponse } from './errors';

/*
 * The service's JSON checked at the boundary. Unknown fields are ignored (v.object drops them), so
 * the service can add fields freely. A field is required here when Firmdrop relies on it; the rest
 * default (to '' or null) when missing or null, because the spec marks few fields required and the
 * seed document and spec disagree on some names (`completed` vs `complete`).
 */

/** Integers arrive as JSON numbers; a numeric string is tolerated too (some gateways stringify). */
const Int = v.union([
  v.pipe(v.number(), v.integer()),
  v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number)),
]);
const Id = v.pipe(v.string(), v.minLength(1, 'must be a non-empty string'));
/**
 * An image or upload job id, which Firmdrop later puts in a URL path (and the journal): held to
 * the same rule as ids typed by a person, so an answer cannot steer a later DELETE elsewhere.
 */
const PathId = v.pipe(
  v.string(),
  v.check(
    (id) => idProblem(id) === null,
    (issue) => `not a usable id (${idProblem(issue.input)})`,
  ),
);
const OptText = v.nullish(v.string(), '');

export const FirmwareImageSchema = v.object({
  id: PathId,
  name: v.string(),
  description: OptText,
  /** The URL devices download the image from. */
  datafile: v.string(),
  /** SHA-256 of the datafile, hex. */
  datafile_checksum: v.string(),
  /** Not marked required in the spec; null when absent (verification then reports it). */
  datafile_size: v.nullish(Int, null),
  datafile_encryption: v.nullish(v.boolean(), null),
  /** When stored encrypted: the stored form's SHA-256 and size (the datafile URL serves that form). */
  encrypted_datafile_checksum: v.nullish(v.string(), null),
  encrypted_datafile_size: v.nullish(Int, null),
  created_at: v.string(),
  updated_at: v.string(),
  etag: OptText,
});

const UploadJobWire = v.pipe(
  v.object({
    id: PathId,
    name: OptText,
    description: OptText,
    status: v.nullish(v.string()),
    // The spec calls the flag `complete`; the service's own documentation shows `completed`.
    complete: v.nullish(v.boolean()),
    completed: v.nullish(v.boolean()),
    // "" until the job completes (see below), else an image id.
    firmware_image_id: v.nullish(v.union([v.literal(''), PathId])),
    created_at: OptText,
    updated_at: OptText,
    etag: OptText,
  }),
  v.check(
    (j) =>
      typeof j.status === 'string' ||
      typeof j.complete === 'boolean' ||
      typeof j.completed === 'boolean',
    'an upload job needs `status` or a `complete`/`completed` flag',
  ),
);

export type UploadJobStatus = 'not_started' | 'in_progress' | 'completed' | (string & {});

export const UploadJobSchema = v.pipe(
  UploadJobWire,
  v.transform((j) => {
    const status = j.status === 'complete' ? 'completed' : j.status;
    const completed = j.complete ?? j.completed ?? status === 'completed';
    return {
      id: j.id,
      name: j.name,
      description: j.description,
      status: (status ?? (completed ? 'completed' : 'in_progress')) as UploadJobStatus,
      completed,
      /** Null until the job is complete (the service sends ""). */
      firmware_image_id: j.firmware_image_id ? j.firmware_image_id : null,
      created_at: j.created_at,
      updated_at: j.updated_at,
      etag: j.etag,
    };
  }),
);

export const UploadChunkSchema = v.object({
  /** The chunk's position: 1 for the first chunk posted to the job. */
  id: Int,
  length: Int,
  /** Hex MD5 of the chunk ('' when it was sent without Content-MD5). */
  hash: OptText,
  upload_job_id: v.nullish(v.string(), null),
  created_at: OptText,
  updated_at: OptText,
  etag: OptText,
});

export const AccountInfoSchema = v.object({
  id: Id,
  /** "0" free (10 images), "1" commercial (1,000), "2" partner; others reserved. */
  tier: v.string(),
  status: v.string(),
  display_name: v.nullish(v.string(), null),
  company: v.nullish(v.string(), null),
  end_market: v.nullish(v.string(), null),
});

export type FirmwareImage = v.InferOutput<typeof FirmwareImageSchema>;
export type UploadJob = v.InferOutput<typeof UploadJobSchema>;
export type UploadChunk = v.InferOutput<typeof UploadChunkSchema>;
export type AccountInfo = v.InferOutput<typeof AccountInfoSchema>;

export interface ListPage<T> {
  data: T[];
  has_more: boolean;
  /** The `after` the request used (the service echoes it); the next cursor is the last item's id. */
  after: string | null;
  limit: number | null;
  order: 'ASC' | 'DESC' | null;
  /** Present when the request asked for include=total_count. */
  total_count: number | null;
}

type ItemSchema = v.GenericSchema<unknown, unknown>;

export function pageSchema<S extends ItemSchema>(item: S) {
  return v.object({
    data: v.array(item),
    has_more: v.boolean(),
    after: v.nullish(v.string(), null),
    limit: v.nullish(Int, null),
    order: v.nullish(v.picklist(['ASC', 'DESC']), null),
    total_count: v.nullish(Int, null),
  });
}

export const FirmwareImagePageSchema = pageSchema(FirmwareImageSchema);
export const UploadJobPageSchema = pageSchema(UploadJobSchema);
export const UploadChunkPageSchema = pageSchema(UploadChunkSchema);

/** Parses a response body or throws FirmdropError('bad-response') naming the endpoint and field. */
export function parseResponse<S extends ItemSchema>(
  schema: S,
  data: unknown,
  endpoint: string,
  host: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, data);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  const where = path ? `field "${path}"` : 'the body';
  throw badResponse(endpoint, host, `${where}: ${issue.message}`);
}
