import { basename } from 'node:path';
import { choosePath } from '../core/chunk-plan';
import { FirmdropError } from '../core/errors';
import { assertValidUploadRequest } from '../core/validation';
import { isTerminal } from '../core/upload-state';
import { isDmNetworkError } from '../dm/errors';
import type { NewUpload, Store, Upload } from '../store';
import { inspectFile } from './file-identity';
import type { EngineSettings } from './ports';
import { checkWithServer } from './preflight';

export interface PrepareUploadInput {
  accountId: string;
  filePath: string;
  name?: string | undefined;
  description?: string | undefined;
  encrypt?: boolean | undefined;
  /** Bytes; defaults to the setting. */
  chunkSize?: number | undefined;
  /**
   * When the account's host cannot be reached, journal the upload anyway with its server checks
   * pending (they run when the host answers) instead of refusing it.
   */
  allowOffline?: boolean | undefined;
  /** With allowOffline: how long the server checks may take. Default OFFLINE_CHECK_DEADLINE_MS. */
  checkDeadlineMs?: number | undefined;
}

/** How long Start waits for the server's checks before journaling the upload to wait instead. */
export const OFFLINE_CHECK_DEADLINE_MS = 10_000;

type PrepareDeps = { store: Store; dm: PreflightService; settings: EngineSettings };
type PreflightService = Parameters<typeof checkWithServer>[0];

/**
 * Pre-flight, before any byte moves: the file, the name and description, the chunk size, the
 * account's quota and the name's availability are all checked, then the upload is journaled as
 * `queued`. Every refusal says what is wrong and how to fix it; nothing is written on refusal.
 */
export async function prepareUpload(
  deps: PrepareDeps,
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
  deps: PrepareDeps,
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
    chunkSize: input.chunkSize ?? settings.chunkSize ?? undefined,
  });
  // null: the engine adapts each chunk's size to the link (no size was chosen).
  const chunkSize = input.chunkSize ?? settings.chunkSize;
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
  let preflightPending = false;
  // A host that drops packets (rather than refusing) would hold Start for minutes of retries: an
  // upload that may wait for the network gives the checks a short deadline and waits instead.
  const deadline = input.allowOffline
    ? AbortSignal.timeout(input.checkDeadlineMs ?? OFFLINE_CHECK_DEADLINE_MS)
    : null;
  try {
    await checkWithServer(
      dm,
      { name: request.name, tier: account.tier, alsoQueued: pending.length },
      deadline && signal ? AbortSignal.any([signal, deadline]) : (deadline ?? signal),
    );
  } catch (err) {
    // Offline start: the host did not answer at all, so nothing was refused; the run asks it.
    const noAnswer =
      isDmNetworkError(err) &&
      (err.code !== 'cancelled' || (deadline?.aborted && !signal?.aborted));
    if (!(input.allowOffline && noAnswer)) throw err;
    preflightPending = true;
  }

  return {
    accountId: account.id,
    filePath: input.filePath,
    fileSize: identity.size,
    fileMtimeMs: identity.mtimeMs,
    name: request.name,
    description: request.description,
    encryption: request.encrypted,
    chunkSize: path === 'job' && chunkSize !== null ? request.chunkSize : null,
    path,
    state: 'queued',
    preflightPending,
  };
}
