import { FirmdropError } from '../core/errors';
import type { Disposable } from '../core/event';
import { canCancel, canPause, isActive, isTerminal, transition } from '../core/upload-state';
import { ownedElsewhere } from '../upload/ownership';
import type { Runtime } from './runtime';

/** How long a window's Cancel can be undone before the server job is deleted. */
export const CANCEL_UNDO_MS = 5000;

export interface CancelWindowOptions {
  rt: Pick<Runtime, 'engine' | 'store'>;
  /** 0: cancel at once (the CLI: a typed command is the user's deliberate act). */
  graceMs: number;
  /** Tells the shells an upload's row changed outside the engine (the mark set or cleared). */
  changed(id: string): void;
  /** A cancel that failed when its time ran out: said to the user, who may try again. */
  failed(message: string): void;
  now?: () => number;
}

/**
 * Cancel with undo. Pressing Cancel stops the upload at once (a pause: nothing more is sent) and
 * journals `cancel_at`; the real cancel — which deletes the server job and its chunks, the part
 * that cannot be taken back — runs only when that time has passed. Undo clears the mark and puts
 * a moving upload back in the queue, from what the server holds.
 *
 * Why undo rather than a confirmation dialog: Cancel sits beside Pause and is pressed during an
 * upload, often in a hurry; a dialog slows every deliberate cancel and is clicked through by
 * habit, while undo costs nothing when meant and recovers a slip. The upload is stopped at once,
 * so nothing is sent during the window either way.
 *
 * The mark is in the journal, so a cancel whose window closes with the app is carried out when
 * the app starts again (`restore`), not forgotten.
 */
export class CancelWindow implements Disposable {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Uploads that were moving when cancelled: Undo puts them back in the queue. */
  private readonly wasMoving = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly o: CancelWindowOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Returns when the cancel takes effect (ms), or null when it already has. */
  async request(id: string): Promise<number | null> {
    const { engine, store } = this.o.rt;
    const u = this.get(id);
    if (u.cancelAt !== null) return u.cancelAt;
    if (!canCancel(u.state)) transition(u.state, 'cancel');
    // Another live process's upload is its own to cancel: refused now, not when the time runs out.
    const holder = engine.heldElsewhere(id);
    if (holder) throw ownedElsewhere(holder);
    if (this.o.graceMs <= 0) {
      await engine.cancel(id);
      return null;
    }
    const moving = isActive(u.state) || u.state === 'queued' || u.state === 'waiting-network';
    if (canPause(u.state)) {
      engine.pause(id);
      await this.stopped(id);
    }
    const at = this.now() + this.o.graceMs;
    store.uploads.updateUpload(id, { cancelAt: at });
    if (moving) this.wasMoving.add(id);
    this.schedule(id, at);
    this.o.changed(id);
    return at;
  }

  undo(id: string): void {
    const u = this.get(id);
    if (u.cancelAt === null) {
      throw new FirmdropError(
        'invalid-state',
        u.state === 'cancelled'
          ? `“${u.name}” is already cancelled; its time to undo ran out. Upload the file again.`
          : `“${u.name}” is not being cancelled.`,
      );
    }
    this.forget(id);
    this.o.rt.store.uploads.updateUpload(id, { cancelAt: null });
    const resume = this.wasMoving.delete(id) && u.state === 'paused';
    if (resume) this.o.rt.engine.resume(id);
    this.o.changed(id);
  }

  /** Refuses other buttons while a cancel is pending: only Undo changes its course. */
  assertNotPending(id: string): void {
    const u = this.o.rt.store.uploads.getUpload(id);
    if (u && u.cancelAt !== null && !isTerminal(u.state)) {
      throw new FirmdropError(
        'invalid-state',
        `“${u.name}” is being cancelled. Press Undo to keep it, then try again.`,
      );
    }
  }

  /** At start: cancels journaled by a window that has since closed run when their time comes. */
  restore(): void {
    for (const u of this.o.rt.store.uploads.listUnfinished()) {
      if (u.cancelAt !== null && !this.timers.has(u.id)) this.schedule(u.id, u.cancelAt);
    }
  }

  dispose(): void {
    // Pending cancels stay journaled; the next start carries them out.
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(id: string, at: number): void {
    this.forget(id);
    const timer = setTimeout(() => void this.expire(id), Math.max(0, at - this.now()));
    // A pending cancel must not keep a process alive by itself.
    timer.unref?.();
    this.timers.set(id, timer);
  }

  private forget(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  private async expire(id: string): Promise<void> {
    this.timers.delete(id);
    this.wasMoving.delete(id);
    const { engine, store } = this.o.rt;
    const u = store.uploads.getUpload(id);
    if (!u || u.cancelAt === null) return;
    try {
      if (canCancel(u.state)) await engine.cancel(id);
    } catch (err) {
      this.o.failed(
        `“${u.name}” could not be cancelled: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (store.uploads.getUpload(id)) {
      store.uploads.updateUpload(id, { cancelAt: null });
      this.o.changed(id);
    }
  }

  /** Resolves once a pause has landed: the run has let go and the journal says where it stopped. */
  private stopped(id: string): Promise<void> {
    const { engine } = this.o.rt;
    const moving = (): boolean => engine.works(id) && isActive(this.get(id).state);
    if (!moving()) return Promise.resolve();
    return new Promise((resolve) => {
      const sub = engine.onDidChange((s) => {
        if (s.upload.id === id && !isActive(s.upload.state)) {
          sub.dispose();
          resolve();
        }
      });
      // The run may have settled between the check and the subscription.
      if (!moving()) {
        sub.dispose();
        resolve();
      }
    });
  }

  private get(id: string) {
    const u = this.o.rt.store.uploads.getUpload(id);
    if (!u) throw new FirmdropError('not-found', 'That upload is no longer in the list.');
    return u;
  }
}
