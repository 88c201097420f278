import { ApiError, validationError } from './api-error';
import type { SandboxState } from './context';
import type { FilterFields } from './lists';
import type { ChunkRecord, JobRecord } from './records';

export const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

export const CHUNK_FILTERS: FilterFields = {
  created_at: 'date',
  etag: 'date',
  id: 'number',
  updated_at: 'date',
  hash: 'md5',
  length: 'number',
};

/** UploadChunkInfo. `hash` is the hex form of the Content-MD5 the chunk was sent with. */
export function renderChunk(job: JobRecord, c: ChunkRecord) {
  return {
    object: 'upload-info',
    id: c.id,
    upload_job_id: job.id,
    length: c.length,
    hash: c.hash,
    created_at: c.created_at,
    updated_at: c.created_at,
    etag: c.created_at,
  };
}

export function chunkLocation(state: SandboxState, jobId: string, chunkId: number): string {
  return `${state.url}/v3/firmware-images/upload-jobs/${jobId}/chunks/${chunkId}`;
}

export function refuseIfComplete(job: JobRecord): void {
  if (job.status === 'completed') {
    throw new ApiError(
      400,
      `Upload job ${job.id} is already complete (image ${job.firmware_image_id}); create a new job to upload again.`,
    );
  }
}

export const md5Mismatch = (): ApiError =>
  validationError([
    { name: 'Content-MD5', message: 'does not match the MD5 of the body received' },
  ]);
