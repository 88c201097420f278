import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { FirmdropError } from '../core/errors';
import { createChunksRepo } from './chunks-repo';
import type { ChunksRepo } from './chunks-repo';
import { isTerminal } from '../core/upload-state';
import type { ListUploadsOptions, NewUpload, Upload, UploadPatch } from './types';
import { TERMINAL_STATES_SQL, UPLOAD_PATCH_COLUMNS, checkState, toUpload } from './upload-rows';
import type { UploadRow } from './upload-rows';
import { writeTransaction } from './write-transaction';

/**
 * The upload journal, shaped for a resumable engine: one row per upload plus its chunks
 * (ChunksRepo). Every write is one transaction and is durable when the call returns
 * (synchronous=FULL, see database.ts), so "journal, then send" is simply call order.
 */
export interface UploadsRepo extends ChunksRepo {
  createUpload(input: NewUpload): Upload;
  getUpload(id: string): Upload | undefined;
  /** Newest first; `before` pages by the last id of the previous page. */
  listUploads(options: ListUploadsOptions): Upload[];
  /**
   * Every upload not in a terminal state (core's isTerminal: done, cancelled), oldest first: the
   * ones to look at after a start (see core's stateAfterRestart).
   */
  listUnfinished(): Upload[];
  /** The targets of one fan-out, in the order they were added. */
  listGroup(groupId: string): Upload[];
  /**
   * Uploads written at or after `since` (ms), oldest write first: how an app sees what another
   * process sharing the journal (the CLI) did. At most `limit` rows.
   */
  listUpdatedSince(since: number, limit: number): Upload[];
  /**
   * Changes the given fields. Entering a terminal state stamps `finishedAt` (unless the patch
   * sets it); leaving one (a retry) clears it.
   */
  updateUpload(id: string, patch: UploadPatch): Upload;
  /** Records the server's upload job (or clears it with null). */
  setJob(id: string, jobId: string | null): Upload;
  /** Deletes the upload and its chunks. False when there was no such upload. */
  deleteUpload(id: string): boolean;
  /** Deletes uploads in a terminal state (of one account if given) with their chunks. Returns how many. */
  clearFinished(options?: { accountId?: string }): number;
  /**
   * "Clear finished": marks uploads in a terminal state as no longer shown in the queue. They
   * stay in the history. Returns the ids it marked.
   */
  hideFinished(): string[];
  /**
   * The explicit "Delete history": deletes finished uploads (of one account if given) with their
   * chunks. Unfinished ones are never touched. Returns the ids it deleted.
   */
  deleteFinished(options?: { accountId?: string }): string[];
}

function notFound(id: string): FirmdropError {
  return new FirmdropError(
    'not-found',
    `No upload with id ${id} exists (it may have been removed).`,
  );
}

function sqlValue(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

export function createUploadsRepo(db: Database, now: () => number = Date.now): UploadsRepo {
  const insert = db.prepare(`
    INSERT INTO uploads (id, account_id, file_path, file_size, file_mtime_ms, sha256, name,
                         description, encryption, chunk_size, path, state, preflight_pending,
                         group_id, created_at, updated_at)
    VALUES (@id, @account_id, @file_path, @file_size, @file_mtime_ms, @sha256, @name,
            @description, @encryption, @chunk_size, @path, @state, @preflight_pending, @group_id, @t, @t)`);
  const accountExists = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM accounts WHERE id = ?',
  );
  const byId = db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE id = ?');
  // Uploads added together (one batch, one transaction) keep their order in the history: each
  // row's created_at is later than the last one this process wrote, never a tie broken by id.
  let lastCreated = 0;
  const createdAt = (): number => (lastCreated = Math.max(now(), lastCreated + 1));
  const unfinished = db.prepare<[], UploadRow>(
    `SELECT * FROM uploads WHERE state NOT IN (${TERMINAL_STATES_SQL}) ORDER BY created_at, id`,
  );
  const group = db.prepare<[string], UploadRow>(
    'SELECT * FROM uploads WHERE group_id = ? ORDER BY created_at, id',
  );
  const updatedSince = db.prepare<[number, number], UploadRow>(
    'SELECT * FROM uploads WHERE updated_at >= ? ORDER BY updated_at, id LIMIT ?',
  );
  const job = db.prepare('UPDATE uploads SET job_id = @job_id, updated_at = @t WHERE id = @id');
  const remove = db.prepare<[string]>('DELETE FROM uploads WHERE id = ?');
  const clearAll = db.prepare(`DELETE FROM uploads WHERE state IN (${TERMINAL_STATES_SQL})`);
  const clearAccount = db.prepare<[string]>(
    `DELETE FROM uploads WHERE state IN (${TERMINAL_STATES_SQL}) AND account_id = ?`,
  );

  const hide = db.prepare<[number], { id: string }>(
    `UPDATE uploads SET hidden_from_queue = 1, updated_at = ?
     WHERE state IN (${TERMINAL_STATES_SQL}) AND hidden_from_queue = 0 RETURNING id`,
  );
  const deleteAll = db.prepare<[], { id: string }>(
    `DELETE FROM uploads WHERE state IN (${TERMINAL_STATES_SQL}) RETURNING id`,
  );
  const deleteAccount = db.prepare<[string], { id: string }>(
    `DELETE FROM uploads WHERE state IN (${TERMINAL_STATES_SQL}) AND account_id = ? RETURNING id`,
  );

  const mustGet = (id: string) => {
    const row = byId.get(id);
    if (!row) throw notFound(id);
    return toUpload(row);
  };

  return {
    ...createChunksRepo(db, now),

    createUpload(input) {
      if (!accountExists.get(input.accountId)) {
        throw new FirmdropError('not-found', `No account with id ${input.accountId} exists.`);
      }
      const id = input.id ?? randomUUID();
      insert.run({
        id,
        account_id: input.accountId,
        file_path: input.filePath,
        file_size: input.fileSize,
        file_mtime_ms: input.fileMtimeMs,
        sha256: input.sha256 ?? null,
        name: input.name,
        description: input.description ?? '',
        encryption: input.encryption ? 1 : 0,
        chunk_size: input.chunkSize ?? null,
        path: input.path,
        state: checkState(input.state ?? 'queued'),
        preflight_pending: input.preflightPending ? 1 : 0,
        group_id: input.groupId ?? null,
        t: createdAt(),
      });
      return mustGet(id);
    },

    getUpload(id) {
      const row = byId.get(id);
      return row && toUpload(row);
    },

    listUploads({ states, accountId, limit, before }) {
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
        throw new FirmdropError('invalid-input', `A page holds 1 to 1000 uploads, not ${limit}.`);
      }
      const where: string[] = [];
      const params: unknown[] = [];
      if (states && states.length > 0) {
        where.push(`state IN (${states.map(() => '?').join(', ')})`);
        params.push(...states);
      }
      if (accountId !== undefined) {
        where.push('account_id = ?');
        params.push(accountId);
      }
      if (before !== undefined) {
        // Row-value comparison: a stable order even when two uploads share a millisecond.
        where.push('(created_at, id) < (SELECT created_at, id FROM uploads WHERE id = ?)');
        params.push(before);
      }
      const sql =
        `SELECT * FROM uploads ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ` +
        'ORDER BY created_at DESC, id DESC LIMIT ?';
      return db
        .prepare<unknown[], UploadRow>(sql)
        .all(...params, limit)
        .map(toUpload);
    },

    listUnfinished: () => unfinished.all().map(toUpload),

    listGroup: (groupId) => group.all(groupId).map(toUpload),

    listUpdatedSince: (since, limit) => updatedSince.all(since, limit).map(toUpload),

    updateUpload: writeTransaction(db, (id: string, patch: UploadPatch) => {
      const current = mustGet(id);
      if (patch.state !== undefined) checkState(patch.state);
      const t = now();
      const values: Record<string, unknown> = { id, updated_at: t };
      for (const [field, column] of Object.entries(UPLOAD_PATCH_COLUMNS)) {
        const value = patch[field as keyof UploadPatch];
        if (value !== undefined) values[column] = sqlValue(value);
      }
      if (patch.state !== undefined && patch.finishedAt === undefined) {
        if (isTerminal(patch.state) && !isTerminal(current.state)) values.finished_at = t;
        if (!isTerminal(patch.state)) values.finished_at = null;
      }
      const sets = Object.keys(values)
        .filter((c) => c !== 'id')
        .map((c) => `${c} = @${c}`);
      db.prepare(`UPDATE uploads SET ${sets.join(', ')} WHERE id = @id`).run(values);
      return mustGet(id);
    }),

    setJob(id, jobId) {
      if (job.run({ id, job_id: jobId, t: now() }).changes === 0) throw notFound(id);
      return mustGet(id);
    },

    deleteUpload: (id) => remove.run(id).changes > 0,

    clearFinished: writeTransaction(db, (options?: { accountId?: string }) =>
      options?.accountId === undefined
        ? clearAll.run().changes
        : clearAccount.run(options.accountId).changes,
    ),

    hideFinished: writeTransaction(db, () => hide.all(now()).map((r) => r.id)),

    deleteFinished: writeTransaction(db, (options?: { accountId?: string }) =>
      (options?.accountId === undefined
        ? deleteAll.all()
        : deleteAccount.all(options.accountId)
      ).map((r) => r.id),
    ),
  };
}
