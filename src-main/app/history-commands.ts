import { FirmdropError } from '../core/errors';
import { LIST_LIMIT_MAX, clampListLimit } from '../core/limits';
import type { DmClient } from '../dm/client';
import type { FirmwareImage, ListPage } from '../dm/schemas';
import type { FirmdropApi, Page, PageQuery } from './contract';
import { assertJobDeletable } from './server-objects';
import { attempt, type ServiceContext } from './service-context';
import { imageView, jobView } from './views';

type HistoryCommands = Pick<
  FirmdropApi,
  'images:list' | 'images:get' | 'images:delete' | 'jobs:list' | 'jobs:rename' | 'jobs:delete'
>;

const PAGE = 50;

export function historyCommands(ctx: ServiceContext): HistoryCommands {
  const { accounts, store } = ctx.rt;
  const client = (accountId: string) => accounts.clientFor(accountId);

  /** Images a local upload of ours verified: the "verified" badge in History. */
  const verifiedIds = (accountId: string): Set<string> =>
    new Set(
      store.uploads
        .listUploads({ accountId, limit: 1000 })
        .filter((u) => u.verified && u.imageId)
        .map((u) => u.imageId as string),
    );
  const uploadForJob = (accountId: string): Map<string, string> =>
    new Map(
      store.uploads
        .listUploads({ accountId, limit: 1000 })
        .filter((u) => u.jobId)
        .map((u) => [u.jobId as string, u.id]),
    );

  return {
    'images:list': (q) =>
      attempt(async () => {
        const dm = await client(q.accountId);
        const verified = verifiedIds(q.accountId);
        const view = (i: FirmwareImage) => imageView(i, verified.has(i.id));
        if (q.search) {
          const found = await searchImages(dm, q);
          return {
            items: found.items.map(view),
            after: found.after,
            hasMore: found.hasMore,
            total: null,
          };
        }
        return toPage(await dm.listImages(listQuery(q)), view);
      }),
    'images:get': ({ accountId, id }) =>
      attempt(async () =>
        imageView(await (await client(accountId)).getImage(id), verifiedIds(accountId).has(id)),
      ),
    'images:delete': ({ accountId, id }) =>
      attempt(async () => {
        await (await client(accountId)).deleteImage(id);
      }),
    'jobs:list': (q) =>
      attempt(async () => {
        const dm = await client(q.accountId);
        const page = await dm.listUploadJobs({
          ...listQuery(q),
          ...(q.search ? { name__eq: q.search } : {}),
        });
        const ours = uploadForJob(q.accountId);
        return toPage(page, (j) => jobView(j, ours.get(j.id) ?? null));
      }),
    'jobs:rename': ({ accountId, id, name }) =>
      attempt(async () => {
        const trimmed = name.trim();
        if (trimmed === '' || trimmed.length > 128) {
          throw new FirmdropError('invalid-input', 'A job name must be 1 to 128 characters.');
        }
        const job = await (await client(accountId)).updateUploadJob(id, { name: trimmed });
        return jobView(job, uploadForJob(accountId).get(id) ?? null);
      }),
    'jobs:delete': ({ accountId, id }) =>
      attempt(async () => {
        assertJobDeletable(store, accountId, id);
        await (await client(accountId)).deleteUploadJob(id);
      }),
  };
}

function listQuery(q: PageQuery) {
  return {
    limit: clampListLimit(q.limit ?? PAGE),
    order: 'DESC' as const,
    include: 'total_count' as const,
    ...(q.after ? { after: q.after } : {}),
  };
}

/**
 * The service filters names only by exact match, so a search for part of a name walks the list
 * (1,000 per page) and keeps matches until a page's worth is found. The cursor is the last image
 * *looked at*, so "Load more" goes on from there.
 */
async function searchImages(
  dm: DmClient,
  q: PageQuery,
): Promise<{ items: FirmwareImage[]; after: string | null; hasMore: boolean }> {
  const needle = (q.search ?? '').toLowerCase();
  const want = clampListLimit(q.limit ?? PAGE);
  const items: FirmwareImage[] = [];
  let after = q.after;
  for (;;) {
    const page = await dm.listImages({
      limit: LIST_LIMIT_MAX,
      order: 'DESC',
      ...(after ? { after } : {}),
    });
    for (const image of page.data) {
      after = image.id;
      if (image.name.toLowerCase().includes(needle)) items.push(image);
      if (items.length === want) return { items, after, hasMore: true };
    }
    if (!page.has_more || page.data.length === 0) return { items, after: null, hasMore: false };
  }
}

function toPage<T, V>(page: ListPage<T>, map: (item: T) => V): Page<V> {
  const last = page.data.at(-1) as { id?: string } | undefined;
  return {
    items: page.data.map(map),
    after: page.has_more && last?.id ? last.id : null,
    hasMore: page.has_more,
    total: page.total_count,
  };
}
