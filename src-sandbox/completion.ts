import { truncate } from 'node:fs/promises';
import { ApiError } from './api-error';
import {
  chunkLocation,
  EMPTY_MD5,
  md5Mismatch,
  refuseIfComplete,
  renderChunk,
} from './chunk-model';
import type { ApiCtx, Reply } from './context';
import { created } from './context';
import { nowIso } from './ids';
import { commitImage } from './images';
import { ownJob } from './jobs';
import type { ChunkRecord, JobRecord } from './records';
import { dataLength, MIB } from './records';
import { checkQuota } from './validate';

export const MIN_PART = 5 * MIB;

/**
 * The zero-length chunk: assemble the job's data into a firmware image. Like S3's
 * CompleteMultipartUpload, this is where too-small chunks are finally refused (seed). A refused
 * completion leaves the job as it was, so the client can delete it (or free an image slot and
 * complete it again).
 */
export async function completeJob(ctx: ApiCtx, jobId: string, md5: Buffer): Promise<Reply> {
  if (md5.toString('hex') !== EMPTY_MD5) throw md5Mismatch();
  const unlock = await ctx.state.jobLocks.lock(jobId);
  try {
    const job = ownJob(ctx);
    refuseIfComplete(job);
    checkAssembly(job);
    const { state, account } = ctx;
    checkQuota(state.store, account);
    const release = state.store.reserve(account.id, null);
    const dataPath = state.store.jobDataPath(job.id);
    let imageId: string;
    try {
      // The data is exactly the committed chunks, whatever a crash may have left past them.
      await truncate(dataPath, dataLength(job));
      const image = await commitImage(
        state,
        account,
        {
          name: job.name,
          description: job.description,
          encryption: job.datafile_encryption,
          filename: job.name || 'firmware.bin',
          sourcePath: dataPath,
        },
        release,
      );
      imageId = image.id;
    } finally {
      release();
    }
    const now = nowIso();
    // (Deleted while its data was being digested: the image stands, the job stays gone.)
    const live = state.store.jobs.has(job.id);
    const chunk: ChunkRecord = {
      id: job.chunks.length + 1,
      length: 0,
      hash: EMPTY_MD5,
      created_at: now,
    };
    job.chunks.push(chunk);
    job.status = 'completed';
    job.firmware_image_id = imageId;
    job.updated_at = job.etag = now;
    if (live) await state.store.putJob(job);
    state.stats.jobsCompleted++;
    return created(renderChunk(job, chunk), chunkLocation(state, job.id, chunk.id));
  } finally {
    unlock();
  }
}

function checkAssembly(job: JobRecord): void {
  const data = job.chunks;
  if (data.length === 0) {
    throw new ApiError(
      400,
      'The first chunk of an upload job cannot be zero-length: upload data before completing the job.',
    );
  }
  const small = data.slice(0, -1).find((c) => c.length < MIN_PART);
  if (small) {
    throw new ApiError(
      400,
      `EntityTooSmall: chunk ${small.id} is ${small.length} bytes, but every chunk except the last must be at least 5 MiB (${MIN_PART} bytes). Delete this upload job and upload again with larger chunks.`,
      { fields: [{ name: 'chunks', message: `chunk ${small.id} is smaller than 5 MiB` }] },
    );
  }
}
