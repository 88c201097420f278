import type { UploadView } from '../../../src-main/app/contract';
import { call, messageOf } from '../api';
import { isFinished, queueOrder, summarize } from '../queue-summary';
import type { UploadAction } from '../upload-actions';
import { notices } from './notices.svelte';

export class UploadsState {
  items = $state<UploadView[]>([]);
  loaded = $state(false);
  loadError = $state<string | null>(null);
  /** Uploads a restart left interrupted, paused or failed: offered as one "resume all". */
  interrupted = $state<string[]>([]);

  summary = $derived(summarize(this.items));
  /** Newest first: the history view's order. */
  ordered = $derived([...this.items].sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
  /** Moving, then needing attention, then waiting, then finished: the queue's order. */
  queue = $derived(queueOrder(this.items));
  hasFinished = $derived(this.items.some((u) => isFinished(u.phase)));

  byId(id: string): UploadView | undefined {
    return this.items.find((u) => u.id === id);
  }

  async load(): Promise<void> {
    try {
      this.items = await call('uploads:list');
      this.loaded = true;
      this.loadError = null;
    } catch (err) {
      this.loadError = messageOf(err);
    }
  }

  /** Called once after the first load: what a crash or a closed laptop left behind. */
  detectInterrupted(): void {
    // Another live Firmdrop process's uploads are its own to resume: not offered here.
    this.interrupted = this.items
      .filter(
        (u) =>
          (u.phase === 'interrupted' || u.phase === 'paused' || u.phase === 'failed') &&
          u.workedElsewhere === null,
      )
      .map((u) => u.id);
  }

  upsert(upload: UploadView): void {
    const at = this.items.findIndex((u) => u.id === upload.id);
    if (at === -1) this.items.push(upload);
    else this.items[at] = upload;
  }

  remove(id: string): void {
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

  async clearFinished(): Promise<void> {
    try {
      await call('uploads:clear-finished');
      this.items = this.items.filter((u) => !isFinished(u.phase));
    } catch (err) {
      notices.push('error', messageOf(err));
    }
  }
}

export const uploads = new UploadsState();
