import type { ImageView, JobView } from '../../../src-main/app/contract';
import { call, messageOf } from '../api';
import { Debouncer } from '../debounce';
import { notices } from './notices.svelte';
import { PagedList } from './paged-list.svelte';
import { uploads } from './uploads.svelte';

export type HistoryTab = 'local' | 'images' | 'jobs';

export const SEARCH_DELAY_MS = 300;

export class HistoryState {
  tab = $state<HistoryTab>('local');
  /** '' means every account; the server tabs always need one. */
  accountId = $state('');
  search = $state('');
  selectedImageId = $state<string | null>(null);

  images = new PagedList<ImageView>((q) => call('images:list', q));
  jobs = new PagedList<JobView>((q) => call('jobs:list', q));

  /** The image the details panel last showed (not reactive: only selectedImage reads it). */
  #shownImage: ImageView | null = null;
  /**
   * The image in the details panel. While the list reloads (a search, a refresh) it keeps the one
   * it shows instead of closing and reopening, which would lose what the panel was saying.
   */
  selectedImage = $derived.by((): ImageView | null => {
    const found = this.images.items.find((i) => i.id === this.selectedImageId) ?? null;
    if (found) return (this.#shownImage = found);
    const kept = this.#shownImage?.id === this.selectedImageId ? this.#shownImage : null;
    return this.images.loading ? kept : null;
  });
  localUploads = $derived(
    uploads.ordered.filter(
      (u) =>
        (this.accountId === '' || u.accountId === this.accountId) &&
        matches(this.search, u.name, u.fileName, u.description),
    ),
  );

  #searchDebouncer = new Debouncer(SEARCH_DELAY_MS);

  /** The account the server tabs list: the chosen one, or the given fallback. */
  serverAccount(fallback: string): string {
    return this.accountId || fallback;
  }

  setTab(tab: HistoryTab, fallbackAccount: string): void {
    this.tab = tab;
    void this.ensureLoaded(fallbackAccount);
  }

  setAccount(id: string, fallbackAccount: string): void {
    this.accountId = id;
    this.selectedImageId = null;
    void this.reload(fallbackAccount);
  }

  setSearch(text: string, fallbackAccount: string): void {
    this.search = text;
    // Local filtering is instant; the server is asked once typing pauses.
    this.#searchDebouncer.schedule(() => void this.reload(fallbackAccount));
  }

  /** Loads the current server tab unless it already shows this account and search. */
  async ensureLoaded(fallbackAccount: string): Promise<void> {
    const list = this.#currentList();
    if (!list) return;
    const query = this.#query(fallbackAccount);
    if (!query.accountId) return;
    const shown = list.query;
    if (
      shown &&
      shown.accountId === query.accountId &&
      shown.search === query.search &&
      !list.error
    )
      return;
    await list.reset(query);
  }

  async reload(fallbackAccount: string): Promise<void> {
    this.#searchDebouncer.cancel();
    const list = this.#currentList();
    const query = this.#query(fallbackAccount);
    if (list && query.accountId) await list.reset(query);
  }

  selectImage(id: string | null): void {
    this.selectedImageId = id;
  }

  async deleteImage(accountId: string, id: string): Promise<boolean> {
    try {
      await call('images:delete', { accountId, id });
      this.images.remove(id);
      if (this.selectedImageId === id) this.selectedImageId = null;
      notices.push('success', 'Image deleted.');
      return true;
    } catch (err) {
      notices.push('error', messageOf(err));
      return false;
    }
  }

  async deleteJob(accountId: string, id: string): Promise<boolean> {
    try {
      await call('jobs:delete', { accountId, id });
      this.jobs.remove(id);
      notices.push('success', 'Upload job deleted.');
      return true;
    } catch (err) {
      notices.push('error', messageOf(err));
      return false;
    }
  }

  /** Resolves to null on success, or the message to show in the rename dialog. */
  async renameJob(accountId: string, id: string, name: string): Promise<string | null> {
    try {
      this.jobs.replace(await call('jobs:rename', { accountId, id, name }));
      return null;
    } catch (err) {
      return messageOf(err);
    }
  }

  #currentList(): PagedList<ImageView> | PagedList<JobView> | null {
    if (this.tab === 'images') return this.images;
    if (this.tab === 'jobs') return this.jobs;
    return null;
  }

  #query(fallbackAccount: string): { accountId: string; search?: string } {
    const search = this.search.trim();
    return { accountId: this.serverAccount(fallbackAccount), ...(search ? { search } : {}) };
  }
}

function matches(search: string, ...fields: string[]): boolean {
  const needle = search.trim().toLowerCase();
  return needle === '' || fields.some((f) => f.toLowerCase().includes(needle));
}

export const history = new HistoryState();
