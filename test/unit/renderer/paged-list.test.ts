import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Page, PageQuery } from '../../../src-main/app/contract';
import { PagedList } from '../../../src-renderer/lib/state/paged-list.svelte';

type Row = { id: string };

/** A server list of `total` rows, answering pages by cursor, optionally held until released. */
function server(total: number, opts: { hold?: boolean } = {}) {
  const rows: Row[] = Array.from({ length: total }, (_, i) => ({ id: `r${i}` }));
  const queries: PageQuery[] = [];
  const held: Array<() => void> = [];
  const fetch = (q: PageQuery): Promise<Page<Row>> => {
    queries.push(q);
    const matching = q.search ? rows.filter((r) => r.id.includes(q.search ?? '')) : rows;
    const start = q.after ? matching.findIndex((r) => r.id === q.after) + 1 : 0;
    const items = matching.slice(start, start + (q.limit ?? 10));
    const hasMore = start + items.length < matching.length;
    const page = {
      items,
      after: hasMore ? (items.at(-1)?.id ?? null) : null,
      hasMore,
      total: matching.length,
    };
    if (!opts.hold) return Promise.resolve(page);
    return new Promise((resolve) => held.push(() => resolve(page)));
  };
  return { fetch, queries, held };
}

describe('history paging (Load more)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('loads the first page, then appends pages by cursor until the server has no more', async () => {
    const s = server(25);
    const list = new PagedList<Row>(s.fetch, 10);
    await list.reset({ accountId: 'a' });
    expect(list.items).toHaveLength(10);
    expect(list).toMatchObject({ hasMore: true, total: 25, loaded: true, loading: false });
    await list.loadMore();
    await list.loadMore();
    expect(list.items.map((r) => r.id)).toEqual(Array.from({ length: 25 }, (_, i) => `r${i}`));
    expect(list.hasMore).toBe(false);
    await list.loadMore(); // nothing left: no request
    expect(s.queries.map((q) => q.after ?? null)).toEqual([null, 'r9', 'r19']);
    expect(s.queries.every((q) => q.limit === 10 && q.accountId === 'a')).toBe(true);
  });

  it('sends one request at a time however often Load more is pressed', async () => {
    const s = server(50, { hold: true });
    const list = new PagedList<Row>(s.fetch, 10);
    const first = list.reset({ accountId: 'a' });
    s.held.shift()?.();
    await first;
    const a = list.loadMore();
    const b = list.loadMore();
    expect(s.queries).toHaveLength(2);
    s.held.shift()?.();
    await Promise.all([a, b]);
    expect(list.items).toHaveLength(20);
  });

  it('drops a page that arrives for a query the user has since replaced', async () => {
    const s = server(30, { hold: true });
    const list = new PagedList<Row>(s.fetch, 10);
    const old = list.reset({ accountId: 'a' });
    const fresh = list.reset({ accountId: 'a', search: 'r2' });
    s.held[1]?.(); // the new query's answer
    s.held[0]?.(); // the stale one, late
    await Promise.all([old, fresh]);
    expect(list.items.every((r) => r.id.includes('r2'))).toBe(true);
    expect(list.total).toBe(11); // r2, r20..r29
    expect(list.query).toEqual({ accountId: 'a', search: 'r2' });
  });

  it('never shows a row twice when the list shifts between pages', async () => {
    let call = 0;
    const list = new PagedList<Row>(async () => {
      call++;
      return call === 1
        ? { items: [{ id: 'a' }, { id: 'b' }], after: 'b', hasMore: true, total: 3 }
        : { items: [{ id: 'b' }, { id: 'c' }], after: null, hasMore: false, total: 3 };
    }, 2);
    await list.reset({ accountId: 'x' });
    await list.loadMore();
    expect(list.items.map((r) => r.id)).toEqual(['a', 'b', 'c']);
  });

  it('keeps what it has and reports the error when a page fails', async () => {
    let fail = false;
    const s = server(30);
    const list = new PagedList<Row>(async (q) => {
      if (fail) throw new Error('socket hang up');
      return s.fetch(q);
    }, 10);
    await list.reset({ accountId: 'a' });
    fail = true;
    await list.loadMore();
    expect(list.items).toHaveLength(10);
    expect(list.error).toMatch(/socket hang up/);
    expect(list.loading).toBe(false);
  });

  it('removes a deleted row and counts it out of the total', async () => {
    const list = new PagedList<Row>(server(5).fetch, 10);
    await list.reset({ accountId: 'a' });
    list.remove('r2');
    expect(list.items.map((r) => r.id)).toEqual(['r0', 'r1', 'r3', 'r4']);
    expect(list.total).toBe(4);
  });
});
