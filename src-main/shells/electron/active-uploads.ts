import type { UploadPhase, UploadView } from '../../app/contract';
import type { EventSource } from './ipc';

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
export class ActiveUploads {
  private readonly busy = new Set<string>();
  private readonly listeners = new Set<(count: number) => void>();

  constructor(events: EventSource) {
    events.on('upload:changed', (u: UploadView) => this.update(u.id, BUSY.has(u.phase)));
    events.on('upload:removed', ({ id }) => this.update(id, false));
  }

  get count(): number {
    return this.busy.size;
  }

  onChange(listener: (count: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(id: string, busy: boolean): void {
    const before = this.busy.size;
    if (busy) this.busy.add(id);
    else this.busy.delete(id);
    if (this.busy.size !== before) this.listeners.forEach((l) => l(this.busy.size));
  }
}
