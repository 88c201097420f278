import { FirmdropError } from '../core/errors';
import { LIST_LIMIT_MAX, clampListLimit } from '../core/limits';
import { isTerminal } from '../core/upload-state';
import type { DmClient } from '../dm/client';
import type { FirmwareImage, ListPage, UploadChunk, UploadJob } from '../dm/schemas';
import type { Store, UploadState } from '../store';
import type { AccountsService } from './accounts-service';

/** The service's own objects, as the command line prints them for scripts (its JSON). */
export type { FirmwareImage, UploadChunk, UploadJob };

/**
 * A job as listed for the command line: the service's fields, plus the local upload it belongs to
 * (an unfinished or failed one keeps its job for resume), so no job is left looking orphaned.
 */
export type ListedJob = UploadJob & {
  local_upload: { id: string; name: string; state: UploadState } | null;
};

/**
 * A job that belongs to an upload still in the queue is that upload's: deleting it under the
 * engine would make the run restart from nothing. Every shell's delete goes through here.
 */
export function assertJobDeletable(store: Store, accountId: string, jobId: string): void {
  const owner = store.uploads
    .listUnfinished()
    .find((u) => u.accountId === accountId && u.jobId === jobId);
  if (owner && !isTerminal(owner.state) && owner.state !== 'failed') {
    throw new FirmdropError(
      'invalid-input',
      `This job belongs to the upload "${owner.name}", which is not finished. Cancel that upload instead: it deletes its job.`,
    );
  }
}

/** The account's images, jobs and chunks on the server, newest first, up to `max` of each. */
export class ServerObjects {
  constructor(
    private readonly store: Store,
    private readonly accounts: AccountsService,
  ) {}

  private client(accountId: string): Promise<DmClient> {
    return this.accounts.clientFor(accountId);
  }

  async listImages(accountId: string, max?: number): Promise<FirmwareImage[]> {
    const dm = await this.client(accountId);
    return collect(dm, (q) => dm.listImages(q), max);
  }

  async getImage(accountId: string, id: string): Promise<FirmwareImage> {
    return (await this.client(accountId)).getImage(id);
  }

  async deleteImage(accountId: string, id: string): Promise<void> {
    await (await this.client(accountId)).deleteImage(id);
  }

  async listJobs(accountId: string, max?: number): Promise<ListedJob[]> {
    const dm = await this.client(accountId);
    const jobs = await collect(dm, (q) => dm.listUploadJobs(q), max);
    const owner = this.localOwners(accountId);
    return jobs.map((j) => ({ ...j, local_upload: owner(j.id) }));
  }

  async getJob(accountId: string, id: string): Promise<ListedJob> {
    const job = await (await this.client(accountId)).getUploadJob(id);
    return { ...job, local_upload: this.localOwners(accountId)(job.id) };
  }

  /** The journal's unfinished uploads of the account, by the job they keep on the server. */
  private localOwners(accountId: string): (jobId: string) => ListedJob['local_upload'] {
    const byJob = new Map(
      this.store.uploads
        .listUnfinished()
        .filter((u) => u.accountId === accountId && u.jobId !== null)
        .map((u) => [u.jobId, { id: u.id, name: u.name, state: u.state }]),
    );
    return (jobId) => byJob.get(jobId) ?? null;
  }

  /** In the order the service appended them (its default, ascending). */
  async listChunks(accountId: string, jobId: string, max?: number): Promise<UploadChunk[]> {
    const dm = await this.client(accountId);
    const all: UploadChunk[] = [];
    for await (const c of dm.paginate((q) => dm.listChunks(jobId, q), { limit: LIST_LIMIT_MAX })) {
      all.push(c);
      if (max !== undefined && all.length >= max) break;
    }
    return all;
  }

  async deleteJob(accountId: string, id: string): Promise<void> {
    assertJobDeletable(this.store, accountId, id);
    await (await this.client(accountId)).deleteUploadJob(id);
  }
}

/** Up to `max` items of a list, newest first, paged as the service allows. */
async function collect<T extends { id: string | number }>(
  dm: DmClient,
  list: (q: { limit: number; order: 'DESC'; after?: string }) => Promise<ListPage<T>>,
  max: number | undefined,
): Promise<T[]> {
  const out: T[] = [];
  const limit = clampListLimit(max ?? LIST_LIMIT_MAX);
  for await (const item of dm.paginate(list, { limit, order: 'DESC' as const })) {
    out.push(item);
    if (max !== undefined && out.length >= max) break;
  }
  return out;
}
