import { describe, expect, it } from 'vitest';
import { paginate } from '../../../src-main/dm/paginate';
import type { ListQuery } from '../../../src-main/dm/query';
import type { ListPage } from '../../../src-main/dm/schemas';
import { caught } from './catch';

/** A list endpoint over an in-memory array, paging by `after` the way the service does. */
function lister(ids: number[], pageSize: number) {
  const seen: ListQuery[] = [];
  const fn = async (q: ListQuery): Promise<ListPage<{ id: number }>> => {
    seen.push(q);
    const start = q.after === undefined ? 0 : ids.indexOf(Number(q.after)) + 1;
    const data = ids.slice(start, start + pageSize).map((id) => ({ id }));
    return {
      data,
      has_more: start + pageSize < ids.length,
      after: q.after ?? null,
      limit: pageSize,
      order: 'ASC',
      total_count: null,
    };
  };
  return { fn, seen };
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('paginate', () => {
  it('walks every page using the last id as the cursor, keeping the other query fields', async () => {
    const l = lister([1, 2, 3, 4, 5, 6, 7], 3);
    const items = await all(paginate(l.fn, { limit: 3, order: 'ASC' }));
    expect(items.map((i) => i.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(l.seen.map((q) => q.after)).toEqual([undefined, '3', '6']);
    expect(l.seen.every((q) => q.limit === 3 && q.order === 'ASC')).toBe(true);
  });

  it('stops on an empty first page and starts from a given cursor', async () => {
    expect(await all(paginate(lister([], 3).fn, {}))).toEqual([]);
    expect(
      (await all(paginate(lister([1, 2, 3, 4], 2).fn, { after: '2' }))).map((i) => i.id),
    ).toEqual([3, 4]);
  });

  it('stops early when the consumer breaks', async () => {
    const l = lister([1, 2, 3, 4, 5, 6], 2);
    for await (const item of paginate(l.fn, {})) if (item.id === 2) break;
    expect(l.seen).toHaveLength(1);
  });

  it('refuses to loop when the service repeats the same page', async () => {
    const stuck = async (): Promise<ListPage<{ id: string }>> => ({
      data: [{ id: 'x' }],
      has_more: true,
      after: null,
      limit: 2,
      order: null,
      total_count: null,
    });
    const err = await caught(() => all(paginate(stuck, {})));
    expect(err.code).toBe('bad-response');
  });
});
