import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { ApiError, notFound, validationError } from './api-error';
import { MAX_REQUEST_BYTES, readBody, tooLarge } from './body';
import { completeJob } from './completion';
import type { ApiCtx, Reply } from './context';
import { created, json } from './context';
import { writeAll } from './file-io';
import { nowIso } from './ids';
import { ownJob } from './jobs';
import { listPage, parseListQuery } from './lists';
import {
  CHUNK_FILTERS,
  chunkLocation,
  md5Mismatch,
  refuseIfComplete,
  renderChunk,
} from './chunk-model';
import type { ChunkRecord, JobRecord } from './records';
import { dataLength } from './records';

// The seed: a completed job lists no chunks (like S3, whose parts vanish once assembled).
function visibleChunks(job: JobRecord): ChunkRecord[] {
  return job.status === 'completed' ? [] : job.chunks;
}

export async function listChunks(ctx: ApiCtx): Promise<Reply> {
  const job = ownJob(ctx);
  const q = parseListQuery(ctx.query, CHUNK_FILTERS);
  const items = visibleChunks(job).map((c) => renderChunk(job, c));
  return json(200, listPage(items, q, CHUNK_FILTERS));
}

export async function getChunk(ctx: ApiCtx): Promise<Reply> {
  const job = ownJob(ctx);
  const raw = ctx.params[1] ?? '';
  const chunk = /^\d+$/.test(raw)
    ? visibleChunks(job).find((c) => c.id === Number(raw))
    : undefined;
  if (!chunk) throw notFound(`Chunk ${raw} of upload job`, job.id);
  return json(200, renderChunk(job, chunk));
}

/**
 * POST …/upload-jobs/{id}/chunks: appends the body, or completes the job when it is empty.
 * Headers are checked before a byte is read; the data is written in place after what the job
 * holds and is only counted (committed) once the whole body arrived and its MD5 matched.
 */
export async function postChunk(ctx: ApiCtx): Promise<Reply> {
  const job = ownJob(ctx);
  refuseIfComplete(job);
  const { length, md5 } = checkChunkHeaders(ctx);
  if (length === 0) return completeJob(ctx, job.id, md5);
  const unlock = await ctx.state.jobLocks.lock(job.id);
  try {
    return await appendChunk(ctx, job.id, length, md5);
  } finally {
    unlock();
  }
}

function checkChunkHeaders(ctx: ApiCtx): { length: number; md5: Buffer } {
  const h = ctx.req.headers;
  if (h['transfer-encoding'] !== undefined || h['content-length'] === undefined) {
    throw new ApiError(
      411,
      'A chunk needs an exact Content-Length header; chunked transfer encoding is not accepted.',
    );
  }
  const length = Number(h['content-length']);
  if (length > MAX_REQUEST_BYTES) throw tooLarge(MAX_REQUEST_BYTES);
  const type = (h['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  // The zero-length completing POST is documented without a Content-Type.
  if (type !== 'binary/octet-stream' && !(length === 0 && type === '')) {
    throw validationError([{ name: 'Content-Type', message: 'must be binary/octet-stream' }]);
  }
  const header = h['content-md5'];
  const rawMd5 = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  if (rawMd5 === '') {
    throw validationError([
      {
        name: 'Content-MD5',
        message: 'is required: the base64 of the binary MD5 of the body (RFC 1864)',
      },
    ]);
  }
  const md5 = Buffer.from(rawMd5, 'base64');
  if (md5.length !== 16 || md5.toString('base64') !== rawMd5) {
    throw validationError([
      { name: 'Content-MD5', message: 'must be the base64 of a 16-byte MD5 digest (RFC 1864)' },
    ]);
  }
  return { length, md5 };
}

async function appendChunk(
  ctx: ApiCtx,
  jobId: string,
  length: number,
  expected: Buffer,
): Promise<Reply> {
  const { store } = ctx.state;
  const job = ownJob(ctx); // again: it may have changed while this request waited for the lock
  refuseIfComplete(job);
  const offset = dataLength(job);
  const fh = await open(store.jobDataPath(jobId), constants.O_RDWR | constants.O_CREAT);
  const hash = createHash('md5');
  let committed = false;
  try {
    let written = 0;
    const received = await readBody(
      ctx.req,
      { throttle: ctx.throttle, maxBytes: length },
      async (c) => {
        hash.update(c);
        await writeAll(fh, c, offset + written);
        written += c.length;
        ctx.state.stats.bytesReceived += c.length;
        ctx.state.arrivals.bytesReceived.add(c.length);
      },
    );
    const digest = hash.digest();
    if (received !== length) {
      throw new ApiError(400, `Content-Length was ${length} but ${received} bytes arrived.`);
    }
    if (!digest.equals(expected)) throw md5Mismatch();
    const live = store.jobs.get(jobId);
    if (!live) throw notFound('Upload job', jobId); // deleted while the body streamed
    const now = nowIso();
    const chunk: ChunkRecord = {
      id: live.chunks.length + 1,
      length,
      hash: digest.toString('hex'),
      created_at: now,
    };
    live.chunks.push(chunk);
    live.status = 'in_progress';
    live.updated_at = live.etag = now;
    committed = true;
    await store.putJob(live);
    ctx.state.stats.chunksAppended++;
    ctx.state.arrivals.chunksAppended.add(1);
    ctx.state.stats.bytesAppended += length;
    return created(renderChunk(live, chunk), chunkLocation(ctx.state, jobId, chunk.id));
  } finally {
    if (!committed) await fh.truncate(offset).catch(() => undefined);
    await fh.close();
  }
}
