import { FirmdropError, isFirmdropError } from '../core/errors';
import { isDmApiError, isDmNetworkError } from '../dm/errors';
import type { ChunkSource } from './chunk-source';
import { ChunkReadError } from './chunk-reader';
import { inspectFile, sameIdentity } from './file-identity';
import { discardJob, runJobPath } from './job-path';
import type { RunContext } from './run-context';
import { stopReasonOf } from './run-context';
import { runSmallPath } from './small-path';
import { UploadStopped } from './types';

type Failure = 'network' | 'rate-limited' | 'transient' | 'fatal';

/** What kind of trouble an error is, for the one decision: wait it out, or stop and tell. */
export function classifyFailure(err: unknown): Failure {
  if (isDmNetworkError(err)) return err.code === 'cancelled' ? 'fatal' : 'network';
  if (isDmApiError(err)) {
    if (err.status === 429) return 'rate-limited';
    if (err.status >= 500 || err.status === 408) return 'transient';
    return 'fatal';
  }
  if (isFirmdropError(err, 'server-error')) return 'transient';
  return 'fatal';
}

/**
 * Runs one upload to the end: every attempt starts in `checking`, which asks the server what it
 * holds, so any failure (a lost answer, a 5xx, a dropped network) is followed by a reconcile and
 * never by a blind resend. Transient trouble is waited out with backoff; `maxAttempts` failures
 * in a row without progress stop the upload as failed, for the user to retry.
 */
export async function runUpload(ctx: RunContext): Promise<void> {
  const source: { current: ChunkSource | null } = { current: null };
  let failures = 0;
  try {
    for (;;) {
      const ackedBefore = ctx.upload.bytesAcked;
      try {
        await attempt(ctx, source);
        return;
      } catch (err) {
        if (ctx.signal.aborted) throw stopReasonOf(ctx.signal);
        if (err instanceof UploadStopped) throw err;
        const kind = classifyFailure(err);
        if (kind === 'fatal') throw err;
        failures = ctx.upload.bytesAcked > ackedBefore ? 1 : failures + 1;
        if (failures >= ctx.settings.maxAttempts) throw gaveUp(err as Error, failures);
        await waitOut(ctx, kind, err as FirmdropError, failures);
      }
    }
  } finally {
    await source.current?.close();
    ctx.reporter.setProblem(null);
  }
}

async function attempt(ctx: RunContext, source: { current: ChunkSource | null }): Promise<void> {
  ctx.checkStopped();
  const u = ctx.upload;
  const identity = await inspectFile(u.filePath);
  if (!sameIdentity(identity, { size: u.fileSize, mtimeMs: u.fileMtimeMs })) {
    const started = u.jobId !== null || u.createSentAt !== null;
    if (started && u.path === 'job') {
      await discardJob(
        ctx,
        `The file changed on disk (size or modification time) since this upload began.`,
      );
      await source.current?.close();
      source.current = null;
    } else if (started) {
      throw new FirmdropError(
        'file-changed',
        `The file changed on disk after its upload began. Check that it is the image you mean to upload, then add it again.`,
      );
    }
    ctx.patch({ fileSize: identity.size, fileMtimeMs: identity.mtimeMs, sha256: null });
  }
  try {
    if (ctx.upload.path === 'small') await runSmallPath(ctx);
    else await runJobPath(ctx, source);
  } catch (err) {
    if (err instanceof ChunkReadError) {
      throw new FirmdropError(
        'file-changed',
        `Reading the file failed: ${err.message}. It may have been moved, shortened or be on a disconnected drive; check it and retry.`,
        { cause: err },
      );
    }
    throw err;
  }
}

async function waitOut(
  ctx: RunContext,
  kind: Failure,
  err: FirmdropError,
  failures: number,
): Promise<void> {
  ctx.reporter.setProblem(err);
  if (kind === 'network') {
    ctx.event('network-lost');
    await waitForNetwork(ctx);
    ctx.event('network-back');
    ctx.event('start');
  } else {
    if (kind === 'rate-limited' && isDmApiError(err)) ctx.gate.backoff(err.retryAfterSeconds ?? 5);
    const delay =
      kind === 'rate-limited' ? ctx.gate.remainingMs() : backoffMs(failures, ctx.random);
    ctx.event('recheck');
    await ctx.sleep(delay, ctx.signal);
  }
  ctx.reporter.setProblem(null);
}

/** Probes the account's API until it answers; the upload waits (not failing) meanwhile. */
async function waitForNetwork(ctx: RunContext): Promise<void> {
  const giveUp = ctx.settings.offlineGiveUpMs;
  const started = Date.now();
  for (let n = 0; ; n++) {
    await ctx.sleep(Math.min(15_000, 1000 * 2 ** Math.min(n, 4)), ctx.signal);
    try {
      await ctx.dm.getMyAccount({ signal: ctx.signal });
      return;
    } catch (err) {
      if (ctx.signal.aborted) throw stopReasonOf(ctx.signal);
      if (!isDmNetworkError(err)) return; // the service answered: the network is back
      if (giveUp !== null && Date.now() - started > giveUp) {
        throw new FirmdropError(
          'network',
          `${err.message} Gave up after waiting ${Math.round(giveUp / 1000)} s for the network; retry when it is back.`,
          { cause: err },
        );
      }
    }
  }
}

function backoffMs(failures: number, random: () => number): number {
  const cap = Math.min(30_000, 1000 * 2 ** failures);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

function gaveUp(err: Error, failures: number): FirmdropError {
  const base = isFirmdropError(err) ? err : new FirmdropError('internal', err.message);
  return new FirmdropError(
    base.code,
    `${base.message} (gave up after ${failures} attempts; use Retry to try again).`,
    { cause: err },
  );
}
