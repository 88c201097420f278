import { planChunks } from '../core/chunk-plan';
import { md5HexFromServer } from '../core/digest';
import { FirmdropError } from '../core/errors';
import { reconcileChunks } from '../core/reconcile';
import { reconcileCreate } from '../core/reconcile-create';
import { isDmApiError } from '../dm/errors';
import type { UploadJob } from '../dm/schemas';
import { ChunkSource } from './chunk-source';
import { inspectFile, sameIdentity } from './file-identity';
import { freeNameFor, nameInUse, takenMessage } from './name-check';
import type { RunContext } from './run-context';
import { verifyImage } from './verify';
import { noteDuplicates } from './duplicate-note';

/** The server's job cannot be trusted (or is gone): delete it and start a clean one. */
class JobRestart extends Error {
  constructor(readonly why: string) {
    super(why);
  }
}

const MAX_RESTARTS = 3;

/**
 * The upload-job path, one attempt: find or create the job, reconcile with what the server
 * holds, append the missing chunks one at a time, complete, fetch and verify the image.
 * Every step is journaled before its request goes out, so any failure can resume here.
 */
export async function runJobPath(
  ctx: RunContext,
  source: { current: ChunkSource | null },
): Promise<void> {
  for (let restarts = 0; ; restarts++) {
    try {
      await attempt(ctx, source);
      return;
    } catch (err) {
      if (!(err instanceof JobRestart)) throw err;
      if (restarts >= MAX_RESTARTS) {
        throw new FirmdropError(
          'job-diverged',
          `${err.why} Firmdrop restarted this upload ${MAX_RESTARTS} times and stopped; check the file and the account, then retry.`,
        );
      }
      await discardJob(ctx, err.why);
      await source.current?.restart();
      if (ctx.upload.state !== 'checking') ctx.event('recheck');
    }
  }
}

async function attempt(ctx: RunContext, source: { current: ChunkSource | null }): Promise<void> {
  try {
    await attemptOnJob(ctx, source);
  } catch (err) {
    // A 404 on the job or its chunks: someone deleted the job on the server (another tool, the
    // portal). Nothing of it can be trusted any more; start a clean one.
    if (isDmApiError(err, 404) && err.path.includes('/upload-jobs/')) {
      throw new JobRestart('The upload job was deleted on the server.');
    }
    throw err;
  }
}

async function attemptOnJob(
  ctx: RunContext,
  source: { current: ChunkSource | null },
): Promise<void> {
  const upload = ctx.upload;
  const chunkSize = upload.chunkSize ?? ctx.settings.chunkSize;
  const plan = planChunks(upload.fileSize, chunkSize);
  source.current ??= new ChunkSource(upload.filePath, plan);
  const src = source.current;

  const known = upload.jobId;
  const jobId = known ?? (await findOrCreateJob(ctx));
  // A job created (or adopted empty) just now holds nothing yet: asking the server would only
  // cost two round trips. Any job we knew before is reconciled with what the server holds.
  const { completed, chunks: serverChunks } =
    known === null ? { completed: false, chunks: [] } : await serverView(ctx, jobId);
  const journal = ctx.store.uploads.listChunks(ctx.uploadId);
  const decision = reconcileChunks({
    journal: journal.map((c) => ({
      index: c.idx,
      offset: c.offset,
      length: c.length,
      md5Hex: c.md5,
      acknowledged: c.acked,
    })),
    server: serverChunks,
    jobCompleted: completed,
    completionSent: ctx.upload.completeSentAt !== null,
  });
  if (decision.kind === 'diverged')
    throw new JobRestart(
      `The server's copy of this upload differs from the journal: ${decision.reason}`,
    );
  if (decision.kind === 'completing') {
    // The completing chunk landed but the job does not say so yet: look again shortly.
    await ctx.sleep(1000, ctx.signal);
    throw new FirmdropError(
      'server-error',
      'The service is still completing the upload job; checking again.',
    );
  }
  const md5ByIndex = new Map(journal.map((c) => [c.idx, c.md5]));
  const journalMd5 = (i: number) => md5ByIndex.get(i);
  if (decision.kind === 'continue') {
    ctx.store.transaction(() => {
      for (const idx of decision.acknowledge) ctx.store.uploads.ackChunk(ctx.uploadId, idx, idx);
    });
    await sendChunks(ctx, src, jobId, decision.nextIndex, journalMd5);
  }
  await finish(ctx, src, jobId, decision.kind === 'completed', journalMd5);
}

/** The job's completion and the chunks the server holds for it (all pages). */
async function serverView(
  ctx: RunContext,
  jobId: string,
): Promise<{ completed: boolean; chunks: Array<{ id: number; length: number; hash: string }> }> {
  let job: UploadJob;
  try {
    job = await ctx.dm.getUploadJob(jobId, { signal: ctx.signal });
  } catch (err) {
    if (isDmApiError(err, 404)) throw new JobRestart('The upload job was deleted on the server.');
    throw err;
  }
  const chunks = [];
  for await (const c of ctx.dm.paginate(
    (q) => ctx.dm.listChunks(jobId, q, { signal: ctx.signal }),
    { limit: 1000 },
  )) {
    chunks.push({ id: c.id, length: c.length, hash: c.hash });
  }
  return { completed: job.completed, chunks };
}

async function findOrCreateJob(ctx: RunContext): Promise<string> {
  const upload = ctx.upload;
  if (upload.createSentAt !== null) {
    // A create went out before and its answer was lost: is the job there?
    const found = [];
    const jobs = await ctx.dm.listUploadJobs(
      { name__eq: upload.name, limit: 10 },
      { signal: ctx.signal },
    );
    for (const j of jobs.data) {
      const chunks = j.completed
        ? 0
        : (await ctx.dm.listChunks(j.id, { limit: 2 }, { signal: ctx.signal })).data.length;
      found.push({ id: j.id, name: j.name, completed: j.completed, chunkCount: chunks });
    }
    const decision = reconcileCreate(upload.name, found);
    if (decision.kind === 'adopt') {
      ctx.store.uploads.setJob(ctx.uploadId, decision.jobId);
      return decision.jobId;
    }
    if (decision.kind === 'conflict') throw await nameTaken(ctx, decision.reason);
  }
  ctx.patch({ createSentAt: Date.now() });
  try {
    const job = await ctx.dm.createUploadJob({
      name: upload.name,
      description: upload.description,
      encrypt: upload.encryption,
      signal: ctx.signal,
    });
    ctx.store.uploads.setJob(ctx.uploadId, job.id);
    return job.id;
  } catch (err) {
    if (isDmApiError(err, 409)) throw await nameTaken(ctx);
    throw err;
  }
}

export async function nameTaken(ctx: RunContext, detail?: string): Promise<FirmdropError> {
  const name = ctx.upload.name;
  const use = await nameInUse(ctx.dm, name, ctx.signal).catch(() => ({ image: false, job: true }));
  const free = await freeNameFor(ctx.dm, name, ctx.signal).catch(() => null);
  const message = takenMessage(name, use, free);
  return new FirmdropError('name-taken', detail ? `${detail} ${message}` : message, {
    suggestion: free ?? undefined,
  });
}

async function sendChunks(
  ctx: RunContext,
  src: ChunkSource,
  jobId: string,
  from: number,
  journalMd5: (i: number) => string | undefined,
): Promise<void> {
  const total = src.chunkCount;
  if (from > total) return;
  if (from > 1) {
    const changedAt = await src.seek(from, journalMd5);
    if (changedAt !== null) {
      throw new JobRestart(
        `The file changed since chunk ${changedAt} was sent (its bytes differ now); starting the upload over.`,
      );
    }
  }
  ctx.event('upload');
  for (let i = from; i <= total; i++) {
    ctx.checkStopped();
    const chunk = await src.take(i);
    // Journal first: the row is committed before the request that appends it is sent.
    ctx.store.uploads.journalChunk(ctx.uploadId, {
      idx: i,
      offset: chunk.offset,
      length: chunk.bytes.length,
      md5: chunk.md5Hex,
    });
    await ctx.gate.wait(ctx.signal);
    const answer = await ctx.dm.appendChunk(jobId, {
      body: chunk.bytes,
      md5Base64: chunk.md5Base64,
      signal: ctx.signal,
      onProgress: (sent) => ctx.reporter.sending(sent),
    });
    if (
      answer.id !== i ||
      answer.length !== chunk.bytes.length ||
      md5HexFromServer(answer.hash) !== chunk.md5Hex
    ) {
      throw new JobRestart(
        `The server stored chunk ${i} as id ${answer.id} with ${answer.length} bytes and MD5 ${answer.hash}; expected id ${i}, ${chunk.bytes.length} bytes, MD5 ${chunk.md5Hex}.`,
      );
    }
    const acked = ctx.store.uploads.ackChunk(ctx.uploadId, i, answer.id);
    src.release(i);
    ctx.reporter.acknowledged(acked, { current: i, total });
  }
}

async function finish(
  ctx: RunContext,
  src: ChunkSource,
  jobId: string,
  alreadyCompleted: boolean,
  journalMd5: (i: number) => string | undefined,
): Promise<void> {
  if (ctx.upload.sha256 === null) {
    // Resumed after the last chunk: the file's digest comes from re-reading it, checked chunk by chunk.
    const changedAt = await src.seek(src.chunkCount + 1, journalMd5);
    if (changedAt !== null)
      throw new JobRestart(
        `The file changed since chunk ${changedAt} was sent; starting the upload over.`,
      );
    ctx.patch({ sha256: await src.sha256() });
  }
  if (!alreadyCompleted) {
    ctx.checkStopped();
    await assertUnchanged(ctx);
    ctx.event('finalise', { completeSentAt: Date.now() });
    await ctx.gate.wait(ctx.signal);
    await ctx.dm.completeUploadJob(jobId, { signal: ctx.signal });
  } else {
    ctx.event('finalise');
  }
  const imageId = await imageIdOf(ctx, jobId);
  const image = await ctx.dm.getImage(imageId, { signal: ctx.signal });
  ctx.event('verify');
  ctx.patch(verifyImage(ctx.upload, image));
  await noteDuplicates(ctx);
  if (!ctx.settings.keepCompletedJobs) {
    await ctx.dm.deleteUploadJob(jobId, { signal: ctx.signal }).catch((err: unknown) => {
      if (!isDmApiError(err, 404))
        ctx.notice(
          `The completed upload job ${jobId} could not be deleted (${(err as Error).message}); the image is fine.`,
        );
    });
  }
  ctx.event('succeed', { errorCode: null, errorMessage: null });
}

/**
 * The last moment to notice a file that changed while it was read (a build still writing it):
 * once the job is completed the image exists. The upload stops; Retry starts it over cleanly.
 */
async function assertUnchanged(ctx: RunContext): Promise<void> {
  const u = ctx.upload;
  const now = await inspectFile(u.filePath);
  if (!sameIdentity(now, { size: u.fileSize, mtimeMs: u.fileMtimeMs })) {
    throw new FirmdropError(
      'file-changed',
      `The file changed while it was being uploaded (${u.fileSize} bytes when it started, ${now.size} now). ` +
        'Wait until it is completely written, then press Retry: the upload starts over with the new file.',
    );
  }
}

async function imageIdOf(ctx: RunContext, jobId: string): Promise<string> {
  for (let tries = 0; tries < 5; tries++) {
    const job = await ctx.dm.getUploadJob(jobId, { signal: ctx.signal });
    if (job.firmware_image_id) return job.firmware_image_id;
    await ctx.sleep(500 * (tries + 1), ctx.signal);
  }
  throw new FirmdropError(
    'server-error',
    `The upload job ${jobId} is complete but names no firmware image yet; Firmdrop will ask again.`,
  );
}

/** Deletes the untrusted job (if any) and resets the journal so the next attempt starts clean. */
export async function discardJob(ctx: RunContext, why: string): Promise<void> {
  const jobId = ctx.upload.jobId;
  if (jobId) {
    await ctx.dm.deleteUploadJob(jobId, { signal: ctx.signal }).catch((err: unknown) => {
      if (!isDmApiError(err, 404)) throw err;
    });
  }
  ctx.store.transaction(() => {
    ctx.store.uploads.resetChunks(ctx.uploadId);
    ctx.store.uploads.setJob(ctx.uploadId, null);
    ctx.store.uploads.updateUpload(ctx.uploadId, {
      createSentAt: null,
      completeSentAt: null,
      sha256: null,
    });
  });
  ctx.reporter.update(ctx.upload);
  ctx.notice(`${why} The old upload job was deleted and a clean one is being started.`);
}
