import type { Page, PageQuery } from '../../../src-main/app/contract';
import { messageOf } from '../api';
import { onlyNew } from '../collections';

export type ListQuery = Omit<PageQuery, 'after' | 'limit'>;
type FetchPage<T> = (query: PageQuery) => Promise<Page<T>>;

/**
 * A server list read page by page ("Load more"): items accumulate, `after` is the cursor, and a
 * new query (account or search changed) discards answers still in flight for the old one.
 */
export class PagedList<T extends { id: string }> {
  items = $state<T[]>([]);
  hasMore = $state(false);
  total = $state<number | null>(null);
  loading = $state(false);
  loaded = $state(false);
  error = $state<string | null>(null);

  #fetch: FetchPage<T>;
  #pageSize: number;
  #after: string | null = null;
  #query: ListQuery | null = null;
  #generation = 0;

  constructor(fetch: FetchPage<T>, pageSize = 100) {
    this.#fetch = fetch;
    this.#pageSize = pageSize;
  }

  get query(): ListQuery | null {
    return this.#query;
  }

  /** Starts over with a new query and loads its first page. */
  async reset(query: ListQuery): Promise<void> {
    this.#generation++;
    this.#query = query;
    this.#after = null;
    this.items = [];
    this.hasMore = false;
    this.total = null;
    this.loaded = false;
    this.loading = false;
    await this.#load();
  }

  async loadMore(): Promise<void> {
    if (this.loading || !this.hasMore) return;
    await this.#load();
  }

  /** Reloads from the first page with the same query (after a delete elsewhere, say). */
  refresh(): Promise<void> {
    return this.#query ? this.reset(this.#query) : Promise.resolve();
  }

  remove(id: string): void {
    const before = this.items.length;
    this.items = this.items.filter((item) => item.id !== id);
    if (this.total !== null && this.items.length < before) this.total--;
  }

  replace(item: T): void {
    const at = this.items.findIndex((x) => x.id === item.id);
    if (at !== -1) this.items[at] = item;
  }

  async #load(): Promise<void> {
    const query = this.#query;
    if (!query) return;
    const generation = this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const page = await this.#fetch({
        ...query,
        limit: this.#pageSize,
        ...(this.#after ? { after: this.#after } : {}),
      });
      if (generation !== this.#generation) return;
      // A row already shown (the server list moved under us) is not shown twice.
      this.items.push(...onlyNew(this.items, page.items));
      this.#after = page.after ?? page.items.at(-1)?.id ?? null;
      this.hasMore = page.hasMore;
      this.total = page.total;
      this.loaded = true;
    } catch (err) {
      if (generation === this.#generation) this.error = messageOf(err);
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }
}
