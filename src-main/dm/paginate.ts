import { FirmdropError } from '../core/errors';
import type { ListQuery } from './query';
import type { ListPage } from './schemas';

/**
 * Every item of a list, page by page. The service's `after` in a page echoes the request; the
 * cursor for the next page is the id of the last item received.
 *
 *   for await (const job of paginate((q) => dm.listUploadJobs(q), { limit: 1000 })) …
 *   for await (const c of paginate((q) => dm.listChunks(jobId, q), {})) …
 */
export async function* paginate<T extends { id: string | number }, Q extends ListQuery>(
  listFn: (query: Q) => Promise<ListPage<T>>,
  query: Q,
): AsyncGenerator<T, void, undefined> {
  let after = query.after;
  for (;;) {
    const page = await listFn({ ...query, after });
    for (const item of page.data) yield item;
    const last = page.data.at(-1);
    if (!page.has_more || last === undefined) return;
    const next = String(last.id);
    if (next === after) {
      throw new FirmdropError(
        'bad-response',
        'The service returned the same page twice while listing; stopped to avoid an endless loop.',
      );
    }
    after = next;
  }
}
