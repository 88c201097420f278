import type { UploadPhase, UploadView } from '../../app/contract';
import type { EventFeed } from '../../app/event-hub';
import { DisposableStore, Emitter, type Disposable, type Event } from '../../core/event';

const BUSY: ReadonlySet<UploadPhase> = new Set([
  'queued',
  'checking',
  'hashing',
  'uploading',
  'finalising',
  'verifying',
  'waiting-network',
]);

/**
 * Which uploads are moving, from the service's own events. The power blocker, the quit prompt and
 * the updater all ask this one tracker, so they can never disagree about "an upload is running".
 */
export class ActiveUploads implements Disposable {
  private readonly busy = new Set<string>();
  private readonly changed = new Emitter<number>();
  private readonly subs = new DisposableStore();
  /** Fires the new count whenever it changes. */
  readonly onChange: Event<number> = this.changed.event;

  constructor(events: EventFeed) {
    this.subs.add(
      events.on('upload:changed', (u: UploadView) => this.update(u.id, BUSY.has(u.phase))),
    );
    this.subs.add(events.on('upload:removed', ({ id }) => this.update(id, false)));
  }

  /** Stops following the service's events (the count then stays as it was). */
  dispose(): void {
    this.subs.dispose();
    this.changed.dispose();
  }

  get count(): number {
    return this.busy.size;
  }

  private update(id: string, busy: boolean): void {
    const before = this.busy.size;
    if (busy) this.busy.add(id);
    else this.busy.delete(id);
    if (this.busy.size !== before) this.changed.fire(this.busy.size);
  }
}
