import type { Database } from 'better-sqlite3';
import { FirmdropError } from '../core/errors';
import type { ChunkPlan, UploadChunk } from './types';
import { writeTransaction } from './write-transaction';

interface ChunkRow {
  upload_id: string;
  idx: number;
  offset: number;
  length: number;
  md5: string;
  server_chunk_id: number | null;
  acked: number;
  acked_at: number | null;
}

function toChunk(r: ChunkRow): UploadChunk {
  return {
    uploadId: r.upload_id,
    idx: r.idx,
    offset: r.offset,
    length: r.length,
    md5: r.md5,
    serverChunkId: r.server_chunk_id,
    acked: r.acked === 1,
    ackedAt: r.acked_at,
  };
}

/** The chunk half of the upload journal (see UploadsRepo, which exposes these). */
export interface ChunksRepo {
  /**
   * Records a chunk about to be sent. Commit this BEFORE the request leaves: after a crash the
   * journal must know every chunk the server might hold. Re-journaling the same plan is a no-op
   * (a resend); a different plan for an unacked index replaces it; for an acked index it throws.
   */
  journalChunk(uploadId: string, plan: ChunkPlan): UploadChunk;
  /** Marks a chunk as held by the server and recomputes the upload's bytes_acked, atomically. */
  ackChunk(uploadId: string, idx: number, serverChunkId: number): number;
  /** Forgets every chunk and zeroes bytes_acked (a restart in a new job). Keeps job_id. */
  resetChunks(uploadId: string): void;
  /** In index order. */
  listChunks(uploadId: string): UploadChunk[];
}

function samePlan(a: ChunkPlan, b: ChunkPlan): boolean {
  return a.offset === b.offset && a.length === b.length && a.md5 === b.md5;
}

function validatePlan(plan: ChunkPlan): ChunkPlan {
  const md5 = plan.md5.toLowerCase();
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (
    !whole(plan.idx) ||
    !whole(plan.offset) ||
    !whole(plan.length) ||
    !/^[0-9a-f]{32}$/.test(md5)
  ) {
    throw new FirmdropError(
      'internal',
      `Invalid chunk plan (idx ${plan.idx}, offset ${plan.offset}, length ${plan.length}): ` +
        'indices, offsets and lengths are whole numbers ≥ 0 and md5 is 32 hex digits.',
    );
  }
  return { ...plan, md5 };
}

export function createChunksRepo(db: Database, now: () => number = Date.now): ChunksRepo {
  const uploadExists = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM uploads WHERE id = ?',
  );
  const one = db.prepare<[string, number], ChunkRow>(
    'SELECT * FROM upload_chunks WHERE upload_id = ? AND idx = ?',
  );
  const upsert = db.prepare(`
    INSERT INTO upload_chunks (upload_id, idx, offset, length, md5, server_chunk_id, acked, acked_at)
    VALUES (@upload_id, @idx, @offset, @length, @md5, NULL, 0, NULL)
    ON CONFLICT (upload_id, idx) DO UPDATE SET
      offset = excluded.offset, length = excluded.length, md5 = excluded.md5,
      server_chunk_id = NULL, acked = 0, acked_at = NULL`);
  const ack = db.prepare(`
    UPDATE upload_chunks SET acked = 1, server_chunk_id = @server_chunk_id, acked_at = @t
    WHERE upload_id = @upload_id AND idx = @idx`);
  const recount = db.prepare(`
    UPDATE uploads SET updated_at = @t, bytes_acked = (
      SELECT coalesce(sum(length), 0) FROM upload_chunks WHERE upload_id = @upload_id AND acked = 1)
    WHERE id = @upload_id RETURNING bytes_acked`);
  const removeAll = db.prepare<[string]>('DELETE FROM upload_chunks WHERE upload_id = ?');
  const zero = db.prepare('UPDATE uploads SET bytes_acked = 0, updated_at = @t WHERE id = @id');
  const all = db.prepare<[string], ChunkRow>(
    'SELECT * FROM upload_chunks WHERE upload_id = ? ORDER BY idx',
  );

  const requireUpload = (uploadId: string) => {
    if (!uploadExists.get(uploadId)) {
      throw new FirmdropError(
        'not-found',
        `No upload with id ${uploadId} exists (it may have been removed).`,
      );
    }
  };

  return {
    journalChunk: writeTransaction(db, (uploadId: string, input: ChunkPlan) => {
      const plan = validatePlan(input);
      requireUpload(uploadId);
      const existing = one.get(uploadId, plan.idx);
      if (existing && samePlan(toChunk(existing), plan)) return toChunk(existing);
      if (existing?.acked === 1) {
        throw new FirmdropError(
          'internal',
          `Chunk ${plan.idx} of upload ${uploadId} is already held by the server with a different ` +
            'offset, length or MD5; the journal cannot replace it. Reset the chunks and restart the job.',
        );
      }
      upsert.run({ upload_id: uploadId, ...plan });
      return toChunk(one.get(uploadId, plan.idx) as ChunkRow);
    }),

    ackChunk: writeTransaction(db, (uploadId: string, idx: number, serverChunkId: number) => {
      const existing = one.get(uploadId, idx);
      if (!existing) {
        requireUpload(uploadId);
        throw new FirmdropError(
          'internal',
          `Chunk ${idx} of upload ${uploadId} was acknowledged but never journaled; ` +
            'every chunk must be journaled before it is sent.',
        );
      }
      if (existing.acked === 1 && existing.server_chunk_id !== serverChunkId) {
        throw new FirmdropError(
          'internal',
          `Chunk ${idx} of upload ${uploadId} is already acknowledged as server chunk ` +
            `${existing.server_chunk_id}, not ${serverChunkId}.`,
        );
      }
      const t = now();
      if (existing.acked === 0)
        ack.run({ upload_id: uploadId, idx, server_chunk_id: serverChunkId, t });
      const row = recount.get({ upload_id: uploadId, t }) as { bytes_acked: number };
      return row.bytes_acked;
    }),

    resetChunks: writeTransaction(db, (uploadId: string) => {
      requireUpload(uploadId);
      removeAll.run(uploadId);
      zero.run({ id: uploadId, t: now() });
    }),

    listChunks: (uploadId) => all.all(uploadId).map(toChunk),
  };
}
