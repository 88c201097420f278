import { FirmdropError } from '../core/errors';
import { imageQuotaForTier } from '../core/limits';
import { freeNameFor, nameInUse, takenMessage } from './name-check';
import type { UploadService } from './ports';
import type { UploadRun } from './upload-run';

type PreflightService = Pick<
  UploadService,
  'getMyAccount' | 'countImages' | 'listImages' | 'listUploadJobs'
>;

/**
 * The pre-flight checks only the server can answer: is there room in the account, and is the
 * name free (of images and of upload jobs: the service refuses either with 409). Run before an
 * upload is journaled when the host answers, or by the run itself for an upload that was
 * journaled while the host was unreachable. A refusal says what is wrong and how to fix it.
 */
export async function checkWithServer(
  service: PreflightService,
  request: { name: string; tier: string | null; alsoQueued: number },
  signal?: AbortSignal,
): Promise<void> {
  const tier = request.tier ?? (await service.getMyAccount({ signal })).tier;
  const { limit } = imageQuotaForTier(tier);
  const used = await service.countImages({ signal });
  const queued = request.alsoQueued;
  if (used + queued >= limit) {
    const waiting = queued > 0 ? ` and ${queued} more ${queued === 1 ? 'is' : 'are'} queued` : '';
    throw new FirmdropError(
      'quota-full',
      `The account holds ${used} of its ${limit} firmware images${waiting}, so there is no room for another. ` +
        `Delete images you no longer need${limit <= 10 ? ', or upgrade to a commercial account (1,000 images)' : ''}.`,
    );
  }
  const use = await nameInUse(service, request.name, signal);
  if (use.image || use.job) {
    const free = await freeNameFor(service, request.name, signal);
    throw new FirmdropError('name-taken', takenMessage(request.name, use, free), {
      suggestion: free ?? undefined,
    });
  }
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
