import { formatBytes } from '../../core/format';
import type { UploadView } from '../../app/contract';
import { chunkText, isSettled, phaseLabel } from './progress-text';
import type { RunView } from './run-view';

/**
 * Progress for logs (stderr is not a terminal): one plain line when an upload's phase changes,
 * and at most one per chunk while it uploads, e.g. "fw.bin: uploading chunk 3/12".
 */
export class PhaseLog implements RunView {
  private readonly last = new Map<string, string>();
  private readonly problems = new Map<string, string>();
  private readonly names = new Map<string, string>();

  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  update(s: UploadView): void {
    const id = s.id;
    const name = s.name;
    this.names.set(id, name);
    const problem = s.error && !isSettled(s.phase) ? s.error.message : null;
    // Said again at each new try time, so a log shows why it waits and when it looks next.
    const key = problem === null ? null : `${problem}|${s.retryAt ?? ''}`;
    if (key === null) this.problems.delete(id);
    else if (this.problems.get(id) !== key) {
      this.problems.set(id, key);
      const next =
        s.retryAt === null
          ? 'retrying by itself'
          : `next try in ${Math.max(0, Math.ceil((Date.parse(s.retryAt) - this.now()) / 1000))} s`;
      this.write(`${name}: ${problem} (${next})`);
    }
    const text = describe(s);
    if (text !== this.last.get(id)) {
      this.last.set(id, text);
      this.write(`${name}: ${text}`);
    }
  }

  notice(uploadId: string, message: string): void {
    this.write(`${this.names.get(uploadId) ?? uploadId}: ${message}`);
  }

  close(): void {}
}

export function describe(s: UploadView): string {
  if (s.phase === 'uploading') {
    const chunk = chunkText(s);
    return chunk ? `uploading ${chunk}` : `uploading ${formatBytes(s.totalBytes)} in one request`;
  }
  if (s.phase === 'done') {
    return s.verified ? `done, verified (image ${s.imageId ?? '?'})` : 'done';
  }
  return phaseLabel(s.phase);
}
