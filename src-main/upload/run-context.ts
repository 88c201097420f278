import { transition, type UploadEvent } from '../core/upload-state';
import type { DmClient } from '../dm/client';
import type { Store, Upload, UploadPatch } from '../store';
import type { ProgressReporter } from './progress-reporter';
import type { RateGate } from './rate-gate';
import { UploadStopped, type EngineSettings, type StopReason } from './types';

/** Everything one upload's run needs; built by the engine for each run. */
export class RunContext {
  constructor(
    readonly uploadId: string,
    readonly store: Store,
    readonly dm: DmClient,
    readonly gate: RateGate,
    readonly reporter: ProgressReporter,
    readonly settings: EngineSettings,
    readonly signal: AbortSignal,
    readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
    readonly random: () => number,
    readonly notice: (message: string) => void,
  ) {}

  get upload(): Upload {
    const u = this.store.uploads.getUpload(this.uploadId);
    if (!u) throw new UploadStopped('cancel'); // the row was removed under us
    return u;
  }

  /** Moves the journal through the core state table (a forbidden step is a bug and throws). */
  event(event: UploadEvent, patch: UploadPatch = {}): Upload {
    const next = transition(this.upload.state, event);
    return this.patch({ ...patch, state: next });
  }

  patch(patch: UploadPatch): Upload {
    const u = this.store.uploads.updateUpload(this.uploadId, patch);
    this.reporter.update(u);
    return u;
  }

  /** Throws when the user paused or cancelled, or the app is shutting down. */
  checkStopped(): void {
    if (this.signal.aborted) throw stopReasonOf(this.signal);
  }
}

export function stopReasonOf(signal: AbortSignal): UploadStopped {
  const reason: unknown = signal.reason;
  return reason instanceof UploadStopped ? reason : new UploadStopped('shutdown');
}

export function stopSignal(controller: AbortController, reason: StopReason): void {
  controller.abort(new UploadStopped(reason));
}
