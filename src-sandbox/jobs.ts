import type { FieldError } from './api-error';
import { ApiError, notFound, validationError } from './api-error';
import { readSmallBody } from './body';
import type { ApiCtx, Reply, SandboxState } from './context';
import { created, json } from './context';
import { newId, nowIso } from './ids';
import type { FilterFields } from './lists';
import { listPage, parseListQuery } from './lists';
import type { JobRecord } from './records';
import { checkNameFree, checkQuota, checkText } from './validate';

export const JOB_FILTERS: FilterFields = {
  name: 'string',
  description: 'string',
  complete: 'boolean',
  completed: 'boolean',
  id: 'string',
  firmware_image_id: 'string',
  status: 'string',
  created_at: 'date',
  etag: 'date',
  updated_at: 'date',
};

/**
 * The UploadJob model. The spec calls the flag `complete`, the seed's examples `completed`:
 * both are sent so a client written against either reads it.
 */
export function renderJob(job: JobRecord) {
  const done = job.status === 'completed';
  return {
    object: 'upload-job',
    id: job.id,
    name: job.name,
    description: job.description,
    status: job.status,
    complete: done,
    completed: done,
    firmware_image_id: job.firmware_image_id,
    datafile_encryption: job.datafile_encryption,
    created_at: job.created_at,
    updated_at: job.updated_at,
    etag: job.etag,
  };
}

export function jobLocation(state: SandboxState, id: string): string {
  return `${state.url}/v3/firmware-images/upload-jobs/${id}`;
}

export function ownJob(ctx: ApiCtx): JobRecord {
  const id = ctx.params[0] ?? '';
  const job = ctx.state.store.jobs.get(id);
  if (!job || job.account_id !== ctx.account.id) throw notFound('Upload job', id);
  return job;
}

export async function listJobs(ctx: ApiCtx): Promise<Reply> {
  const q = parseListQuery(ctx.query, JOB_FILTERS);
  const items = ctx.state.store.accountJobs(ctx.account.id).map(renderJob);
  return json(200, listPage(items, q, JOB_FILTERS));
}

export async function getJob(ctx: ApiCtx): Promise<Reply> {
  return json(200, renderJob(ownJob(ctx)));
}

/**
 * POST /v3/firmware-images/upload-jobs. Name and description default to "" (seed). A full
 * account is refused here already: the job could only end in a refused completion.
 */
export async function createJob(ctx: ApiCtx): Promise<Reply> {
  const body = await readJsonObject(ctx);
  const errors: FieldError[] = [];
  const name = checkText('name', body.name, errors) ?? '';
  const description = checkText('description', body.description, errors) ?? '';
  const encryption = body.datafile_encryption ?? false;
  if (typeof encryption !== 'boolean') {
    errors.push({ name: 'datafile_encryption', message: 'must be true or false' });
  }
  if (errors.length > 0) throw validationError(errors);
  const { store } = ctx.state;
  checkNameFree(store, ctx.account.id, name);
  checkQuota(store, ctx.account);
  const now = nowIso();
  const job: JobRecord = {
    id: newId(),
    account_id: ctx.account.id,
    name,
    description,
    datafile_encryption: encryption === true,
    status: 'not_started',
    firmware_image_id: '',
    created_at: now,
    updated_at: now,
    etag: now,
    chunks: [],
  };
  await store.putJob(job);
  return created(renderJob(job), jobLocation(ctx.state, job.id));
}

/** PUT …/upload-jobs/{id}: changes name and/or description. */
export async function updateJob(ctx: ApiCtx): Promise<Reply> {
  ownJob(ctx);
  const body = await readJsonObject(ctx);
  // Looked up again after the body: records are updated in place, never from a stale copy.
  const job = ownJob(ctx);
  const errors: FieldError[] = [];
  const name = checkText('name', body.name, errors);
  const description = checkText('description', body.description, errors);
  if (errors.length > 0) throw validationError(errors);
  if (name !== undefined && name !== job.name) {
    checkNameFree(ctx.state.store, ctx.account.id, name, job.id);
  }
  job.name = name ?? job.name;
  job.description = description ?? job.description;
  job.updated_at = job.etag = nowIso();
  await ctx.state.store.putJob(job);
  return json(200, renderJob(job));
}

/** DELETE …/upload-jobs/{id}: cancels the upload; an image it already produced stays. */
export async function deleteJob(ctx: ApiCtx): Promise<Reply> {
  await ctx.state.store.removeJob(ownJob(ctx).id);
  return { status: 204 };
}

async function readJsonObject(ctx: ApiCtx): Promise<Record<string, unknown>> {
  const raw = (await readSmallBody(ctx.req, ctx.throttle)).toString('utf8');
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(400, 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
