import { FirmdropError } from '../core/errors';
import { imageQuotaForTier } from '../core/limits';
import { freeNameFor, namesInUse, takenMessage } from './name-check';
import type { UploadService } from './ports';
import type { UploadRun } from './upload-run';

export type PreflightService = Pick<
  UploadService,
  'getMyAccount' | 'countImages' | 'listImages' | 'listUploadJobs'
>;

export interface PreflightBatch {
  /** The names of the files, in order; each takes one more place in the account. */
  names: readonly string[];
  /** The account's tier when known (else `accounts/me` is asked, beside the other checks). */
  tier: string | null;
  /** Uploads of the account already queued, not yet images: they take places first. */
  alsoQueued: number;
}

/** One file's answer: null when the server sees no reason to refuse it. */
export type PreflightVerdict = FirmdropError | null;

/**
 * The pre-flight checks only the server can answer, for a whole batch in one round trip of wall
 * time: is there room in the account, and is each name free (of images and of upload jobs: the
 * service refuses either with 409). `accounts/me` (when the tier is unknown), one quota read and
 * one `name__in` request to each list go out together; only a taken name costs one more round
 * trip, to find a free name to offer. Returns a verdict per name, in order. A refusal says what
 * is wrong and how to fix it.
 */
export async function preflightBatch(
  service: PreflightService,
  batch: PreflightBatch,
  signal?: AbortSignal,
): Promise<PreflightVerdict[]> {
  const [tier, used, use] = await Promise.all([
    batch.tier ?? service.getMyAccount({ signal }).then((me) => me.tier),
    service.countImages({ signal }),
    namesInUse(service, batch.names, signal),
  ]);
  const { limit } = imageQuotaForTier(tier);
  const taken = [...new Set(batch.names.filter((n) => use.get(n)?.image || use.get(n)?.job))];
  const offers = new Map(
    await Promise.all(taken.map(async (n) => [n, await freeNameFor(service, n, signal)] as const)),
  );
  return batch.names.map((name, i) => {
    // Files earlier in the batch take their places first, as they will be uploaded first.
    const queued = batch.alsoQueued + i;
    if (used + queued >= limit) return quotaFull(used, limit, queued);
    const u = use.get(name);
    if (!u || !(u.image || u.job)) return null;
    const free = offers.get(name) ?? null;
    return new FirmdropError('name-taken', takenMessage(name, u, free), {
      suggestion: free ?? undefined,
    });
  });
}

function quotaFull(used: number, limit: number, queued: number): FirmdropError {
  const waiting = queued > 0 ? ` and ${queued} more ${queued === 1 ? 'is' : 'are'} queued` : '';
  return new FirmdropError(
    'quota-full',
    `The account holds ${used} of its ${limit} firmware images${waiting}, so there is no room for another. ` +
      `Delete images you no longer need${limit <= 10 ? ', or upgrade to a commercial account (1,000 images)' : ''}.`,
  );
}

/** One file's pre-flight: throws its refusal, if any. */
export async function checkWithServer(
  service: PreflightService,
  request: { name: string; tier: string | null; alsoQueued: number },
  signal?: AbortSignal,
): Promise<void> {
  const [verdict] = await preflightBatch(
    service,
    { names: [request.name], tier: request.tier, alsoQueued: request.alsoQueued },
    signal,
  );
  if (verdict) throw verdict;
}

/**
 * For an upload journaled offline: the checks run first thing when the host answers. Uploads
 * queued beside it were checked on their own, so only this one counts against the quota here;
 * if several offline uploads overfill the account, the service's own refusal says so.
 */
export async function runServerPreflight(run: UploadRun): Promise<void> {
  const u = run.upload;
  await checkWithServer(run.service, { name: u.name, tier: null, alsoQueued: 0 }, run.signal);
  run.patch({ preflightPending: false });
}
