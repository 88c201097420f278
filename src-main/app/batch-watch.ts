import type { UploadState } from '../core/upload-state';
import type { BatchEnded } from './contract';

const MOVING: ReadonlySet<UploadState> = new Set([
  'queued',
  'checking',
  'hashing',
  'uploading',
  'finalising',
  'verifying',
  // Waiting for its host is not an ending: it goes on by itself.
  'waiting-network',
]);

interface Seen {
  name: string;
  state: UploadState;
  error: string | null;
}

/**
 * Tells when a batch ends: every upload this process was moving has stopped, and at least one
 * of them finished or failed. Pauses (and a cancel's undo window, which pauses) leave the batch
 * without counting. The shells turn the ending into a desktop notification when the window is
 * not focused.
 */
export class BatchWatch {
  private readonly batch = new Map<string, Seen>();

  constructor(private readonly ended: (e: BatchEnded) => void) {}

  see(id: string, name: string, state: UploadState, error: string | null): void {
    const known = this.batch.get(id);
    if (MOVING.has(state)) {
      this.batch.set(id, { name, state, error });
      return;
    }
    if (!known) return;
    if (state === 'done' || state === 'failed' || state === 'cancelled') {
      this.batch.set(id, { name, state, error });
    } else {
      this.batch.delete(id);
    }
    const all = [...this.batch.values()];
    if (all.some((s) => MOVING.has(s.state))) return;
    this.batch.clear();
    if (all.length > 0) this.ended(batchEnded(all));
  }
}

function batchEnded(all: Seen[]): BatchEnded {
  const done = all.filter((s) => s.state === 'done');
  const failed = all.filter((s) => s.state === 'failed');
  const cancelled = all.length - done.length - failed.length;
  const one = all.length === 1 ? all[0] : undefined;
  let title: string;
  let body: string;
  if (failed.length > 0) {
    const first = failed[0] as Seen;
    title =
      failed.length === 1 && one
        ? 'Upload failed'
        : `${failed.length} of ${all.length} uploads failed`;
    body =
      failed.length === 1
        ? `“${first.name}”: ${first.error ?? 'it stopped with an error'}`
        : 'Open Firmdrop to see why and retry them.';
  } else if (done.length === 0) {
    title = cancelled === 1 ? 'Upload cancelled' : `${cancelled} uploads cancelled`;
    body = 'Nothing is left running.';
  } else {
    title = done.length === 1 ? 'Upload finished' : `${done.length} uploads finished`;
    body =
      done.length === 1
        ? `“${(done[0] as Seen).name}” is on the service, size and SHA-256 verified.`
        : `All ${done.length} are on the service, size and SHA-256 verified.`;
  }
  return { done: done.length, failed: failed.length, cancelled, title, body };
}
