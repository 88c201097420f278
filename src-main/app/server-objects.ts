import { FirmdropError, worded } from '../core/errors';
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
    const { message, cli } = worded(
      `This job belongs to the upload "${owner.name}", which is not finished.`,
      {
        ui: 'Cancel that upload instead: it deletes its job.',
        cli: `Run "firmdrop uploads cancel ${owner.id}" instead: it deletes its job.`,
      },
    );
    throw new FirmdropError('invalid-input', message, { cli });
  }
}

/** Part of a list: the items asked for, and whether the service holds more. */
export interface Listed<T> {
  items: T[];
  more: boolean;
}

/** Ids found by their start: the candidates, and whether the whole list was searched. */
export interface PrefixSearch<T> {
  matches: T[];
  complete: boolean;
  searched: number;
}

/**
 * How many of an account's images or jobs a search by id prefix reads (10 pages of 1000): the
 * service filters only by whole values (`id__eq`, `id__in`), so the prefix is matched here.
 */
export const PREFIX_SEARCH_MAX = 10_000;

/** The account's images, jobs and chunks on the server, newest first, up to `max` of each. */
export class ServerObjects {
  constructor(
    private readonly store: Store,
    private readonly accounts: AccountsService,
  ) {}

  private client(accountId: string): Promise<DmClient> {
    return this.accounts.clientFor(accountId);
  }

  /** `name`: only the image of exactly that name (the service's `name__eq`; it has no substring filter). */
  async listImages(
    accountId: string,
    o: { max?: number; name?: string } = {},
  ): Promise<Listed<FirmwareImage>> {
    const dm = await this.client(accountId);
    return collect((q) => dm.listImages({ ...q, name__eq: o.name }), dm, o.max);
  }

  async getImage(accountId: string, id: string): Promise<FirmwareImage> {
    return (await this.client(accountId)).getImage(id);
  }

  async findImagesByIdPrefix(
    accountId: string,
    prefix: string,
  ): Promise<PrefixSearch<FirmwareImage>> {
    const dm = await this.client(accountId);
    return searchPrefix((q) => dm.listImages(q), dm, prefix);
  }

  async deleteImage(accountId: string, id: string): Promise<void> {
    await (await this.client(accountId)).deleteImage(id);
  }

  async listJobs(accountId: string, max?: number): Promise<Listed<ListedJob>> {
    const dm = await this.client(accountId);
    const { items, more } = await collect((q) => dm.listUploadJobs(q), dm, max);
    const owner = this.localOwners(accountId);
    return { items: items.map((j) => ({ ...j, local_upload: owner(j.id) })), more };
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

  async findJobsByIdPrefix(accountId: string, prefix: string): Promise<PrefixSearch<UploadJob>> {
    const dm = await this.client(accountId);
    return searchPrefix((q) => dm.listUploadJobs(q), dm, prefix);
  }

  /** In the order the service appended them (its default, ascending). */
  async listChunks(accountId: string, jobId: string, max?: number): Promise<Listed<UploadChunk>> {
    const dm = await this.client(accountId);
    const items: UploadChunk[] = [];
    const limit = clampListLimit(max === undefined ? LIST_LIMIT_MAX : max + 1);
    for await (const c of dm.paginate((q) => dm.listChunks(jobId, q), { limit })) {
      if (max !== undefined && items.length >= max) return { items, more: true };
      items.push(c);
    }
    return { items, more: false };
  }

  async deleteJob(accountId: string, id: string): Promise<void> {
    assertJobDeletable(this.store, accountId, id);
    await (await this.client(accountId)).deleteUploadJob(id);
  }
}

type NewestFirst<T> = (q: { limit: number; order: 'DESC'; after?: string }) => Promise<ListPage<T>>;

/**
 * Up to `max` items of a list, newest first, paged as the service allows. One item past `max` is
 * asked for in the same request, so "more exist" costs nothing extra.
 */
async function collect<T extends { id: string | number }>(
  list: NewestFirst<T>,
  dm: DmClient,
  max: number | undefined,
): Promise<Listed<T>> {
  const items: T[] = [];
  const limit = clampListLimit(max === undefined ? LIST_LIMIT_MAX : max + 1);
  for await (const item of dm.paginate(list, { limit, order: 'DESC' as const })) {
    if (max !== undefined && items.length >= max) return { items, more: true };
    items.push(item);
  }
  return { items, more: false };
}

async function searchPrefix<T extends { id: string }>(
  list: NewestFirst<T>,
  dm: DmClient,
  prefix: string,
): Promise<PrefixSearch<T>> {
  const { items, more } = await collect(list, dm, PREFIX_SEARCH_MAX);
  const matches = items.filter((i) => i.id.startsWith(prefix));
  return { matches, complete: !more, searched: items.length };
}
