import { basename } from 'node:path';
import { choosePath } from '../core/chunk-plan';
import { FirmdropError } from '../core/errors';
import { imageQuotaForTier } from '../core/limits';
import { assertValidUploadRequest } from '../core/validation';
import { isTerminal } from '../core/upload-state';
import type { DmClient } from '../dm/client';
import type { NewUpload, Store, Upload } from '../store';
import { inspectFile } from './file-identity';
import { freeNameFor, nameInUse, takenMessage } from './name-check';
import type { EngineSettings } from './types';

export interface PrepareUploadInput {
  accountId: string;
  filePath: string;
  name?: string | undefined;
  description?: string | undefined;
  encrypt?: boolean | undefined;
  /** Bytes; defaults to the setting. */
  chunkSize?: number | undefined;
}

/**
 * Pre-flight, before any byte moves: the file, the name and description, the chunk size, the
 * account's quota and the name's availability are all checked, then the upload is journaled as
 * `queued`. Every refusal says what is wrong and how to fix it; nothing is written on refusal.
 */
export async function prepareUpload(
  deps: { store: Store; dm: DmClient; settings: EngineSettings },
  input: PrepareUploadInput,
  signal?: AbortSignal,
): Promise<Upload> {
  return deps.store.uploads.createUpload(await planUpload(deps, input, [], signal));
}

/**
 * Every check of prepareUpload, writing nothing: returns the journal row to create. `batch` are
 * the rows planned before this one in the same request (their names and quota count too), so a
 * batch can be checked whole and then journaled in one transaction, or not at all.
 */
export async function planUpload(
  deps: { store: Store; dm: DmClient; settings: EngineSettings },
  input: PrepareUploadInput,
  batch: readonly NewUpload[],
  signal?: AbortSignal,
): Promise<NewUpload & { state: 'queued' }> {
  const { store, dm, settings } = deps;
  const account = store.accounts.get(input.accountId);
  if (!account)
    throw new FirmdropError('not-found', 'That account no longer exists. Choose another account.');
  const identity = await inspectFile(input.filePath);
  const request = assertValidUploadRequest({
    fileName: basename(input.filePath),
    name: input.name,
    description: input.description,
    encrypted: input.encrypt,
    chunkSize: input.chunkSize ?? settings.chunkSize,
  });
  const path = choosePath(identity.size, settings.smallThreshold);

  const pending = [
    ...store.uploads
      .listUnfinished()
      .filter((u) => u.accountId === account.id && !isTerminal(u.state)),
    ...batch.filter((u) => u.accountId === account.id),
  ];
  if (pending.some((u) => u.name === request.name)) {
    throw new FirmdropError(
      'name-taken',
      `Another upload in the queue is already named "${request.name}". Give this one a different name.`,
    );
  }
  await checkQuota(dm, account.tier, pending.length, signal);
  const use = await nameInUse(dm, request.name, signal);
  if (use.image || use.job) {
    const free = await freeNameFor(dm, request.name, signal);
    throw new FirmdropError('name-taken', takenMessage(request.name, use, free), {
      suggestion: free ?? undefined,
    });
  }

  return {
    accountId: account.id,
    filePath: input.filePath,
    fileSize: identity.size,
    fileMtimeMs: identity.mtimeMs,
    name: request.name,
    description: request.description,
    encryption: request.encrypted,
    chunkSize: path === 'job' ? request.chunkSize : null,
    path,
    state: 'queued',
  };
}

async function checkQuota(
  dm: DmClient,
  tier: string | null,
  queued: number,
  signal?: AbortSignal,
): Promise<void> {
  const knownTier = tier ?? (await dm.getMyAccount({ signal })).tier;
  const { limit } = imageQuotaForTier(knownTier);
  const used = await dm.countImages({ signal });
  if (used + queued >= limit) {
    const waiting = queued > 0 ? ` and ${queued} more ${queued === 1 ? 'is' : 'are'} queued` : '';
    throw new FirmdropError(
      'quota-full',
      `The account holds ${used} of its ${limit} firmware images${waiting}, so there is no room for another. ` +
        `Delete images you no longer need${limit <= 10 ? ', or upgrade to a commercial account (1,000 images)' : ''}.`,
    );
  }
}
