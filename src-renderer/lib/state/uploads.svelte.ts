import type { UploadView } from '../../../src-main/app/contract';
import { call, messageOf } from '../api';
import { ListRace } from '../list-race';
import { queueOrder, summarize } from '../queue-summary';
import type { UploadAction } from '../upload-actions';
import { notices } from './notices.svelte';

export class UploadsState {
  items = $state<UploadView[]>([]);
  loaded = $state(false);
  loadError = $state<string | null>(null);
  /** Uploads a restart left interrupted, paused or failed: offered as one "resume all". */
  interrupted = $state<string[]>([]);

  /** What the Upload screen shows: "Clear finished" takes uploads off it, not out of history. */
  inQueue = $derived(this.items.filter((u) => u.inQueue));
  summary = $derived(summarize(this.inQueue));
  /** Newest first: the history view's order (every upload, cleared from the queue or not). */
  ordered = $derived([...this.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
  /** Moving, then needing attention, then waiting, then finished: the queue's order. */
  queue = $derived(queueOrder(this.inQueue));
  /** Done or cancelled: what "Clear finished" takes off (a failed upload still offers Retry). */
  hasFinished = $derived(this.inQueue.some((u) => clearable(u.phase)));

  byId(id: string): UploadView | undefined {
    return this.items.find((u) => u.id === id);
  }

  /** What events did while each `load` in flight waited for its answer. */
  #races: ListRace[] = [];

  async load(): Promise<void> {
    const race = new ListRace();
    this.#races.push(race);
    try {
      const listed = await call('uploads:list');
      this.items = race.merge(listed, this.items);
      this.loaded = true;
      this.loadError = null;
    } catch (err) {
      this.loadError = messageOf(err);
    } finally {
      this.#races = this.#races.filter((r) => r !== race);
    }
  }

  /** Called once after the first load: what a crash or a closed laptop left behind. */
  detectInterrupted(): void {
    this.interrupted = this.items.filter(stillInterrupted).map((u) => u.id);
  }

  /** Takes a view of an upload unless a newer one is already here (see `revision`). */
  upsert(upload: UploadView): void {
    for (const race of this.#races) race.sawUpsert(upload.id);
    const at = this.items.findIndex((u) => u.id === upload.id);
    if (at === -1) this.items.push(upload);
    else if ((this.items[at] as UploadView).revision > upload.revision) return;
    else this.items[at] = upload;
    // The "interrupted uploads found" banner is about uploads still waiting for the user: one
    // that was resumed, retried or cancelled (even by its own button) leaves it for good.
    if (this.interrupted.includes(upload.id) && !stillInterrupted(upload)) {
      this.interrupted = this.interrupted.filter((id) => id !== upload.id);
    }
  }

  remove(id: string): void {
    for (const race of this.#races) race.sawRemove(id);
    this.items = this.items.filter((u) => u.id !== id);
    this.interrupted = this.interrupted.filter((x) => x !== id);
  }

  async act(id: string, action: UploadAction): Promise<void> {
    try {
      await call(`uploads:${action}`, { id });
    } catch (err) {
      notices.push('error', messageOf(err));
    }
  }

  /** Retries a failed upload under another name (the fix for a taken one). */
  async retryAs(id: string, name: string): Promise<void> {
    try {
      await call('uploads:retry', { id, name });
    } catch (err) {
      notices.push('error', messageOf(err));
    }
  }

  async resumeInterrupted(): Promise<void> {
    const ids = this.interrupted;
    this.interrupted = [];
    for (const id of ids) {
      const upload = this.byId(id);
      if (!upload || upload.workedElsewhere !== null) continue;
      if (upload.phase === 'paused' || upload.phase === 'interrupted') await this.act(id, 'resume');
      else if (upload.phase === 'failed') await this.act(id, 'retry');
    }
  }

  dismissInterrupted(): void {
    this.interrupted = [];
  }

  /** Takes back a Cancel while its undo window lasts. */
  async undoCancel(id: string): Promise<void> {
    try {
      await call('uploads:undo-cancel', { id });
    } catch (err) {
      notices.push('error', messageOf(err));
    }
  }

  /** Tidies the queue only: the uploads stay in History → Local uploads. */
  async clearFinished(): Promise<void> {
    // Counted first: the service's own events may arrive before its answer.
    const cleared = this.inQueue.filter((u) => clearable(u.phase)).length;
    try {
      await call('uploads:clear-finished');
      // The service tells each change too; this makes the click take effect at once.
      this.items = this.items.map((u) => (clearable(u.phase) ? { ...u, inQueue: false } : u));
      notices.push(
        'info',
        `Cleared ${cleared} finished upload${cleared === 1 ? '' : 's'} from the queue; History → Local uploads keeps ${cleared === 1 ? 'it' : 'them'}.`,
      );
    } catch (err) {
      notices.push('error', messageOf(err));
    }
  }

  /** Deletes finished uploads from the local history (of one account, or all). */
  async deleteHistory(accountId: string): Promise<number | null> {
    try {
      const { deleted } = await call('history:delete', accountId ? { accountId } : {});
      return deleted;
    } catch (err) {
      notices.push('error', messageOf(err));
      return null;
    }
  }
}

function clearable(phase: UploadView['phase']): boolean {
  return phase === 'done' || phase === 'cancelled';
}

/**
 * Left mid-way and waiting for the user: interrupted, paused or failed, with no cancel pending.
 * Another live Firmdrop process's uploads are its own to resume: not offered here.
 */
function stillInterrupted(u: UploadView): boolean {
  return (
    (u.phase === 'interrupted' || u.phase === 'paused' || u.phase === 'failed') &&
    u.workedElsewhere === null &&
    u.cancelAt === null
  );
}

export const uploads = new UploadsState();
