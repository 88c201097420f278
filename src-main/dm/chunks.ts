import type { Readable } from 'node:stream';
import { FirmdropError } from '../core/errors';
import { requireChunkId, requireId } from '../core/ids';
import { EMPTY_MD5_BASE64, MAX_REQUEST } from '../core/limits';
import { slices, type OutgoingBody, type ProgressFn } from './body';
import type { CallOptions, Caller } from './call';
import { toSearchParams, type ChunkListQuery } from './query';
import {
  UploadChunkPageSchema,
  UploadChunkSchema,
  type ListPage,
  type UploadChunk,
} from './schemas';

export interface AppendChunkParams {
  /** The chunk's bytes, or a stream of exactly `length` bytes. */
  body: Uint8Array | { stream: Readable | AsyncIterable<Uint8Array>; length: number };
  /** Base64 of the chunk's binary MD5 (RFC 1864), computed in the engine's hashing pass. */
  md5Base64: string;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

export interface ChunksApi {
  listChunks(
    jobId: string,
    query?: ChunkListQuery,
    opts?: CallOptions,
  ): Promise<ListPage<UploadChunk>>;
  getChunk(jobId: string, chunkId: number, opts?: CallOptions): Promise<UploadChunk>;
  /**
   * Appends one data chunk. Never retried: when it fails without an answer the chunk may or may
   * not be on the server (see DmNetworkError.sent); the engine reconciles with listChunks.
   */
  appendChunk(jobId: string, params: AppendChunkParams): Promise<UploadChunk>;
  /** Posts the zero-length chunk that completes the job; the job then gets a firmware_image_id. */
  completeUploadJob(jobId: string, opts?: CallOptions): Promise<UploadChunk>;
}

// Checked before the URL is built: ".." would otherwise address the parent collection.
const chunksPath = (jobId: string) =>
  `/v3/firmware-images/upload-jobs/${encodeURIComponent(requireId('upload job', jobId))}/chunks`;
const MD5_BASE64 = /^[A-Za-z0-9+/]{22}==$/;

function outgoing(body: AppendChunkParams['body']): OutgoingBody {
  if (body instanceof Uint8Array) return { source: slices(body), length: body.byteLength };
  return { source: body.stream, length: body.length };
}

export function chunksApi(call: Caller): ChunksApi {
  const post = (
    jobId: string,
    body: OutgoingBody | undefined,
    md5: string,
    p: Omit<AppendChunkParams, 'body' | 'md5Base64'>,
    operation: string,
  ) =>
    call.json(
      {
        method: 'POST',
        path: chunksPath(jobId),
        headers: { 'content-type': 'binary/octet-stream', 'content-md5': md5 },
        body,
        signal: p.signal,
        onProgress: p.onProgress,
        ctx: { operation, resource: `Upload job ${jobId}` },
      },
      UploadChunkSchema,
    );

  return {
    listChunks: async (jobId, query, opts) =>
      call.json(
        {
          method: 'GET',
          path: chunksPath(jobId),
          query: toSearchParams(query),
          signal: opts?.signal,
          ctx: { operation: 'list the upload job’s chunks', resource: `Upload job ${jobId}` },
        },
        UploadChunkPageSchema,
      ),

    getChunk: async (jobId, chunkId, opts) =>
      call.json(
        {
          method: 'GET',
          path: `${chunksPath(jobId)}/${requireChunkId(chunkId)}`,
          signal: opts?.signal,
          ctx: { operation: 'read a chunk', resource: `Chunk ${chunkId} of upload job ${jobId}` },
        },
        UploadChunkSchema,
      ),

    async appendChunk(jobId, p) {
      requireId('upload job', jobId);
      const body = outgoing(p.body);
      // These are caller bugs, caught before a byte moves: a zero-length chunk would complete the
      // job, an oversized one is refused by the service after the whole transfer.
      if (body.length === 0) {
        throw new FirmdropError(
          'internal',
          'appendChunk was given an empty chunk; completeUploadJob completes a job.',
        );
      }
      if (body.length > MAX_REQUEST) {
        throw new FirmdropError(
          'too-large',
          `A chunk of ${body.length} bytes exceeds the 100 MiB request limit.`,
        );
      }
      if (!MD5_BASE64.test(p.md5Base64)) {
        throw new FirmdropError(
          'internal',
          'appendChunk needs the chunk MD5 as 24 characters of base64 (RFC 1864).',
        );
      }
      return post(jobId, body, p.md5Base64, p, 'upload a chunk');
    },

    completeUploadJob: async (jobId, opts) =>
      post(jobId, undefined, EMPTY_MD5_BASE64, { signal: opts?.signal }, 'complete the upload job'),
  };
}
