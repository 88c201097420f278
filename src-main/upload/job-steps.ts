import { chunkAt, type PlannedChunk } from '../core/chunk-plan';
import { FirmdropError } from '../core/errors';
import { reconcileChunks } from '../core/reconcile';
import { reconcileCreate } from '../core/reconcile-create';
import { isDmApiError } from '../dm/errors';
import { paginate } from '../dm/paginate';
import type { UploadJob } from '../dm/schemas';
import type { ChunkSource, HeldChunk } from './chunk-source';
import { assertUnchanged, changedSince, sendChunks } from './send-chunks';
import { freeNameFor, nameInUse, takenMessage } from './name-check';
import { ImagePending, JobUntrusted, StillCompleting } from './run-outcomes';
import type { UploadRun } from './upload-run';
import { verifyImage } from './verify';
import { lookUpSameChecksum, noteDuplicates, type SameChecksum } from './duplicate-note';

/**
 * The upload-job path, one attempt: find or create the job, reconcile with what the server
 * holds, append the missing chunks one at a time, complete, fetch and verify the image.
 * Every step is journaled before its request goes out, so any failure can resume here.
 */
export async function runJobAttempt(run: UploadRun): Promise<void> {
  try {
    await attemptOnJob(run);
  } catch (err) {
    // A failed attempt cuts the next chunks smaller, so a flaky link resends little.
    if (!run.signal.aborted) run.chunkSizer().failed();
    // A 404 on the job or its chunks: someone deleted the job on the server (another tool, the
    // portal). Nothing of it can be trusted any more; start a clean one.
    if (isDmApiError(err, 404) && err.path.includes('/upload-jobs/')) {
      throw new JobUntrusted('The upload job was deleted on the server.');
    }
    throw err;
  }
}

async function attemptOnJob(run: UploadRun): Promise<void> {
  if (await resumeAtImage(run)) return;
  const upload = run.upload;
  const src = run.chunkSource();

  const known = upload.jobId;
  // A job still to be created (or adopted, empty) is sent from chunk 1: that chunk's hash (and
  // the start of its hashing worker) runs while the create is on the wire, not after it. The
  // create is still journaled before it goes out (findOrCreateJob); the hash writes nothing.
  const first = known === null ? hashFirstChunk(run, src) : undefined;
  const jobId = known ?? (await findOrCreateJob(run));
  // A job created (or adopted empty) just now holds nothing yet: asking the server would only
  // cost two round trips. Any job we knew before is reconciled with what the server holds.
  const { completed, chunks: serverChunks } =
    known === null ? { completed: false, chunks: [] } : await serverView(run, jobId);
  const journal = run.ports.journal.listChunks(run.uploadId);
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
    completionSent: run.upload.completeSentAt !== null,
  });
  if (decision.kind === 'diverged')
    throw new JobUntrusted(
      `The server's copy of this upload differs from the journal: ${decision.reason}`,
    );
  // The completing chunk landed but the job does not say so yet: the run looks again shortly.
  if (decision.kind === 'completing') throw new StillCompleting(jobId);
  const held: HeldChunk[] = journal.map((c) => ({
    index: c.idx,
    offset: c.offset,
    length: c.length,
    md5Hex: c.md5,
  }));
  if (decision.kind === 'continue') {
    run.ports.journal.transaction(() => {
      for (const idx of decision.acknowledge) run.ports.journal.ackChunk(run.uploadId, idx, idx);
    });
    const from = { index: decision.nextIndex, offset: decision.bytesOnServer };
    await sendChunks(run, src, jobId, from, held.slice(0, decision.nextIndex - 1), first);
  }
  await finish(run, src, jobId, decision.kind === 'completed', held);
}

/** Plans chunk 1 and starts hashing it; sendChunks takes the hash when its turn comes. */
function hashFirstChunk(run: UploadRun, src: ChunkSource): PlannedChunk {
  const first = { index: 1, offset: 0, length: chunkAt(0, src.fileSize, run.chunkSizer().next()) };
  src.prefetch(first.index, first.offset, first.length);
  return first;
}

/** The job's completion and the chunks the server holds for it (all pages). */
async function serverView(
  run: UploadRun,
  jobId: string,
): Promise<{ completed: boolean; chunks: Array<{ id: number; length: number; hash: string }> }> {
  let job: UploadJob;
  try {
    job = await run.service.getUploadJob(jobId, { signal: run.signal });
  } catch (err) {
    if (isDmApiError(err, 404)) throw new JobUntrusted('The upload job was deleted on the server.');
    throw err;
  }
  const chunks = [];
  for await (const c of paginate((q) => run.service.listChunks(jobId, q, { signal: run.signal }), {
    limit: 1000,
  })) {
    chunks.push({ id: c.id, length: c.length, hash: c.hash });
  }
  return { completed: job.completed, chunks };
}

async function findOrCreateJob(run: UploadRun): Promise<string> {
  const upload = run.upload;
  if (upload.createSentAt !== null) {
    // A create went out before and its answer was lost: is the job there?
    const found = [];
    const jobs = await run.service.listUploadJobs(
      { name__eq: upload.name, limit: 10 },
      { signal: run.signal },
    );
    for (const j of jobs.data) {
      const chunks = j.completed
        ? 0
        : (await run.service.listChunks(j.id, { limit: 2 }, { signal: run.signal })).data.length;
      found.push({ id: j.id, name: j.name, completed: j.completed, chunkCount: chunks });
    }
    const decision = reconcileCreate(upload.name, found);
    if (decision.kind === 'adopt') {
      run.ports.journal.setJob(run.uploadId, decision.jobId);
      return decision.jobId;
    }
    if (decision.kind === 'conflict') throw await nameTaken(run, decision.reason);
  }
  run.patch({ createSentAt: run.clock.now() });
  try {
    const job = await run.service.createUploadJob({
      name: upload.name,
      description: upload.description,
      encrypt: upload.encryption,
      signal: run.signal,
    });
    run.ports.journal.setJob(run.uploadId, job.id);
    return job.id;
  } catch (err) {
    if (isDmApiError(err, 409)) throw await nameTaken(run);
    throw err;
  }
}

export async function nameTaken(run: UploadRun, detail?: string): Promise<FirmdropError> {
  const name = run.upload.name;
  const [use, free] = await Promise.all([
    nameInUse(run.service, name, run.signal).catch(() => ({ image: false, job: true })),
    freeNameFor(run.service, name, run.signal).catch(() => null),
  ]);
  const message = takenMessage(name, use, free);
  return new FirmdropError('name-taken', detail ? `${detail} ${message}` : message, {
    suggestion: free ?? undefined,
  });
}

async function finish(
  run: UploadRun,
  src: ChunkSource,
  jobId: string,
  alreadyCompleted: boolean,
  held: readonly HeldChunk[],
): Promise<void> {
  if (run.upload.sha256 === null || src.checking) {
    // Resumed: the chunks held before are checked (in parallel with sending the rest); the
    // completion waits for that check, and the file's digest comes out of it.
    src.begin(src.fileSize, held);
    const { changedAt, sha256 } = await src.digest();
    if (changedAt !== null) throw changedSince(changedAt);
    run.patch({ sha256 });
  }
  // The duplicate look-up needs only the SHA-256, known now: it goes out beside the completing
  // POST, whose answer waits for the service to assemble the image. Its connection is then warm
  // for the image read and the job's deletion, which go out together after the job read.
  let sameChecksum: SameChecksum;
  if (!alreadyCompleted) {
    run.checkStopped();
    await assertUnchanged(run);
    run.event('finalise', { completeSentAt: run.clock.now() });
    await run.ports.gate.wait(run.signal);
    sameChecksum = lookUpSameChecksum(run);
    await run.service.completeUploadJob(jobId, { signal: run.signal });
  } else {
    run.event('finalise');
    sameChecksum = lookUpSameChecksum(run);
  }
  const imageId = await imageIdOf(run, jobId);
  // Journaled before the job is deleted: once the job is gone, this id is the way to its image.
  run.patch({ imageId });
  await verifyAndTidy(run, imageId, jobId, sameChecksum);
}

/**
 * The end of a completed job: the image is fetched and the completed job deleted at the same
 * time (neither needs the other: the job has done its work once it names the image), the image
 * is verified, and the duplicate look-up started earlier is read. Each failure is reported as
 * its own: the image's read or verification fails the attempt, a job that could not be deleted
 * is a notice, and the look-up is advice. Both requests have ended before the attempt does.
 */
async function verifyAndTidy(
  run: UploadRun,
  imageId: string,
  jobId: string | null,
  sameChecksum: SameChecksum,
): Promise<void> {
  const [image] = await Promise.allSettled([
    run.service.getImage(imageId, { signal: run.signal }),
    jobId !== null && !run.ports.settings.keepCompletedJobs ? deleteCompletedJob(run, jobId) : null,
  ]);
  if (image.status === 'rejected') throw image.reason;
  run.event('verify');
  run.patch(verifyImage(run.upload, image.value));
  await noteDuplicates(run, sameChecksum);
  run.event('succeed', { errorCode: null, errorMessage: null });
}

/**
 * A run that learned its image id before (the job was completed, and maybe deleted since) goes
 * straight to the image: the job need not exist any more.
 */
export async function resumeAtImage(run: UploadRun): Promise<boolean> {
  const u = run.upload;
  if (u.imageId === null || u.completeSentAt === null || u.sha256 === null || u.verified) {
    return false;
  }
  await verifyAndTidy(run, u.imageId, u.jobId, lookUpSameChecksum(run)).catch((err: unknown) => {
    // The image the job named was deleted (by someone else) before it was verified: nothing of
    // this upload is left to trust, so it starts over with a clean job.
    if (isDmApiError(err, 404) && !err.path.includes('/upload-jobs/')) {
      throw new JobUntrusted(
        `The firmware image ${u.imageId} this upload made was deleted on the server before it was verified.`,
      );
    }
    throw err;
  });
  return true;
}

async function deleteCompletedJob(run: UploadRun, jobId: string): Promise<void> {
  await run.service.deleteUploadJob(jobId, { signal: run.signal }).catch((err: unknown) => {
    if (!isDmApiError(err, 404))
      run.ports.notice(
        `The completed upload job ${jobId} could not be deleted (${(err as Error).message}); the image is fine.`,
      );
  });
}

async function imageIdOf(run: UploadRun, jobId: string): Promise<string> {
  const job = await run.service.getUploadJob(jobId, { signal: run.signal });
  if (job.firmware_image_id) return job.firmware_image_id;
  // The run asks again after a short wait (core's pollDelayMs), then gives up into "Retry".
  throw new ImagePending(jobId);
}

/** Deletes the untrusted job (if any) and resets the journal so the next attempt starts clean. */
export async function discardJob(run: UploadRun, why: string): Promise<void> {
  const jobId = run.upload.jobId;
  if (jobId) {
    await run.service.deleteUploadJob(jobId, { signal: run.signal }).catch((err: unknown) => {
      if (!isDmApiError(err, 404)) throw err;
    });
  }
  run.ports.journal.transaction(() => {
    run.ports.journal.resetChunks(run.uploadId);
    run.ports.journal.setJob(run.uploadId, null);
    run.ports.journal.update(run.uploadId, {
      createSentAt: null,
      completeSentAt: null,
      sha256: null,
    });
  });
  run.ports.reporter.update(run.upload);
  run.ports.notice(`${why} The old upload job was deleted and a clean one is being started.`);
}
