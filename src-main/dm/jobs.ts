import { requireId } from '../core/ids';
import type { CallOptions, Caller } from './call';
import { toSearchParams, type UploadJobListQuery } from './query';
import { UploadJobPageSchema, UploadJobSchema, type ListPage, type UploadJob } from './schemas';

export interface CreateUploadJobParams {
  name: string;
  description: string;
  encrypt: boolean;
  signal?: AbortSignal;
}

export interface UploadJobsApi {
  /** Not retried: after a network failure, look the job up by name before creating another. */
  createUploadJob(params: CreateUploadJobParams): Promise<UploadJob>;
  listUploadJobs(query?: UploadJobListQuery, opts?: CallOptions): Promise<ListPage<UploadJob>>;
  getUploadJob(id: string, opts?: CallOptions): Promise<UploadJob>;
  updateUploadJob(
    id: string,
    changes: { name?: string; description?: string },
    opts?: CallOptions,
  ): Promise<UploadJob>;
  deleteUploadJob(id: string, opts?: CallOptions): Promise<void>;
}

const LIST = '/v3/firmware-images/upload-jobs';
// Checked before the URL is built: ".." would otherwise address the parent collection.
const one = (id: string) => `${LIST}/${encodeURIComponent(requireId('upload job', id))}`;
const jobResource = (id: string) => `Upload job ${id}`;

export function uploadJobsApi(call: Caller): UploadJobsApi {
  return {
    createUploadJob: (p) =>
      call.json(
        {
          method: 'POST',
          path: LIST,
          // datafile_encryption is not in the spec excerpt's body schema but the service (and the
          // portal's encryption switch) use it; the design document lists it for jobs too.
          json: { name: p.name, description: p.description, datafile_encryption: p.encrypt },
          signal: p.signal,
          ctx: { operation: 'create the upload job', name: p.name },
        },
        UploadJobSchema,
      ),

    listUploadJobs: (query, opts) =>
      call.json(
        {
          method: 'GET',
          path: LIST,
          query: toSearchParams(query),
          signal: opts?.signal,
          ctx: { operation: 'list upload jobs' },
        },
        UploadJobPageSchema,
      ),

    getUploadJob: async (id, opts) =>
      call.json(
        {
          method: 'GET',
          path: one(id),
          signal: opts?.signal,
          ctx: { operation: 'read the upload job', resource: jobResource(id) },
        },
        UploadJobSchema,
      ),

    updateUploadJob: async (id, changes, opts) =>
      call.json(
        {
          method: 'PUT',
          path: one(id),
          json: changes,
          signal: opts?.signal,
          ctx: {
            operation: 'update the upload job',
            resource: jobResource(id),
            name: changes.name,
          },
        },
        UploadJobSchema,
      ),

    deleteUploadJob: async (id, opts) =>
      call.empty({
        method: 'DELETE',
        path: one(id),
        signal: opts?.signal,
        ctx: { operation: 'delete the upload job', resource: jobResource(id) },
      }),
  };
}
