import { basename } from 'node:path';
import { choosePath } from '../core/chunk-plan';
import { FirmdropError } from '../core/errors';
import { assertValidUploadRequest } from '../core/validation';
import { isTerminal } from '../core/upload-state';
import { isDmNetworkError } from '../dm/errors';
import type { Account, NewUpload, Store, Upload } from '../store';
import { inspectFile, type FileIdentity } from './file-identity';
import type { EngineSettings } from './ports';
import { preflightBatch, type PreflightService } from './preflight';

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
type PlannedRow = NewUpload & { state: 'queued' };

/** One file of a batch: the journal row to create, or why it cannot be uploaded. */
export type PlanResult = { ok: true; row: PlannedRow } | { ok: false; error: unknown };

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
): Promise<PlannedRow> {
  const [result] = await planUploads(deps, [input], { before: batch, signal });
  if (!result?.ok) throw result?.error;
  return result.row;
}

/**
 * Every check of prepareUpload for many files of one account at once, writing nothing. The
 * server's checks of the whole batch (one quota read, one `name__in` request per list) go out
 * while the files are opened, so the connection is up by the time they are needed. Files earlier
 * in `inputs` (and `before`) take their names and quota places first. One result per input.
 */
export async function planUploads(
  deps: PrepareDeps,
  inputs: readonly PrepareUploadInput[],
  opts: { before?: readonly NewUpload[]; signal?: AbortSignal | undefined } = {},
): Promise<PlanResult[]> {
  const { store, settings } = deps;
  const accountIds = new Set(inputs.map((i) => i.accountId));
  if (accountIds.size > 1) {
    throw new FirmdropError('internal', 'A pre-flight batch must be of one account.');
  }
  const first = inputs[0];
  if (!first) return [];
  const account = store.accounts.get(first.accountId);
  if (!account)
    throw new FirmdropError('not-found', 'That account no longer exists. Choose another account.');

  const pending = [
    ...store.uploads
      .listUnfinished()
      .filter((u) => u.accountId === account.id && !isTerminal(u.state)),
    ...(opts.before ?? []).filter((u) => u.accountId === account.id),
  ];
  const pendingNames = new Set(pending.map((u) => u.name));

  // Local checks first, in the order a technician fixes them: the request, then the name.
  const local = inputs.map((input) => localCheck(input, settings, pendingNames));
  const toAsk = local.flatMap((l) => (l.ok ? [l.request.name] : []));
  const [identities, server] = await Promise.all([
    Promise.all(inputs.map((i) => inspectFile(i.filePath).then(ok, failed))),
    toAsk.length === 0
      ? Promise.resolve({ verdicts: [], pending: false })
      : askServer(deps.dm, account, inputs, toAsk, pending.length, opts.signal),
  ]);

  let asked = 0;
  return inputs.map((input, i): PlanResult => {
    const identity = identities[i] as Settled<FileIdentity>;
    const check = local[i] as LocalCheck;
    // Same precedence as one file alone: the file, then the request, then the server.
    if (!identity.ok) return { ok: false, error: identity.error };
    if (!check.ok) return { ok: false, error: check.error };
    const verdict = server.verdicts[asked++] ?? null;
    if (verdict) return { ok: false, error: verdict };
    const path = choosePath(identity.value.size, settings.smallThreshold);
    return {
      ok: true,
      row: {
        accountId: account.id,
        filePath: input.filePath,
        fileSize: identity.value.size,
        fileMtimeMs: identity.value.mtimeMs,
        name: check.request.name,
        description: check.request.description,
        encryption: check.request.encrypted,
        // null: the engine adapts each chunk's size to the link (no size was chosen).
        chunkSize:
          path === 'job' && (input.chunkSize ?? settings.chunkSize) !== null
            ? check.request.chunkSize
            : null,
        path,
        state: 'queued',
        preflightPending: server.pending,
      },
    };
  });
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const ok = <T>(value: T): Settled<T> => ({ ok: true, value });
const failed = (error: unknown): Settled<never> => ({ ok: false, error });

type UploadRequest = ReturnType<typeof assertValidUploadRequest>;
type LocalCheck = { ok: true; request: UploadRequest } | { ok: false; error: unknown };

/** The request's own checks, and names already used by the queue or earlier in the batch. */
function localCheck(
  input: PrepareUploadInput,
  settings: EngineSettings,
  pendingNames: Set<string>,
): LocalCheck {
  let request: UploadRequest;
  try {
    request = assertValidUploadRequest({
      fileName: basename(input.filePath),
      name: input.name,
      description: input.description,
      encrypted: input.encrypt,
      chunkSize: input.chunkSize ?? settings.chunkSize ?? undefined,
    });
  } catch (error) {
    return { ok: false, error };
  }
  if (pendingNames.has(request.name)) {
    return {
      ok: false,
      error: new FirmdropError(
        'name-taken',
        `Another upload in the queue is already named "${request.name}". Give this one a different name.`,
      ),
    };
  }
  pendingNames.add(request.name);
  return { ok: true, request };
}

/**
 * The batch's server checks. With allowOffline, a host that does not answer journals the batch
 * with its checks pending (they run when the host answers) instead of refusing it.
 */
async function askServer(
  dm: PreflightService,
  account: Account,
  inputs: readonly PrepareUploadInput[],
  names: string[],
  alsoQueued: number,
  signal: AbortSignal | undefined,
): Promise<{ verdicts: Array<FirmdropError | null>; pending: boolean }> {
  const allowOffline = inputs.some((i) => i.allowOffline);
  // A host that drops packets (rather than refusing) would hold Start for minutes of retries: an
  // upload that may wait for the network gives the checks a short deadline and waits instead.
  const deadline = allowOffline
    ? AbortSignal.timeout(
        Math.min(...inputs.map((i) => i.checkDeadlineMs ?? OFFLINE_CHECK_DEADLINE_MS)),
      )
    : null;
  try {
    const verdicts = await preflightBatch(
      dm,
      { names, tier: account.tier, alsoQueued },
      deadline && signal ? AbortSignal.any([signal, deadline]) : (deadline ?? signal),
    );
    return { verdicts, pending: false };
  } catch (err) {
    // Offline start: the host did not answer at all, so nothing was refused; the run asks it.
    const noAnswer =
      isDmNetworkError(err) &&
      (err.code !== 'cancelled' || (deadline?.aborted && !signal?.aborted));
    if (!(allowOffline && noAnswer)) throw err;
    return { verdicts: [], pending: true };
  }
}
