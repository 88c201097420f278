import { FirmdropError } from '../core/errors';
import type { Disposable } from '../core/event';
import type { ListUploadsOptions, NewUpload, Upload } from '../store';
import { describeOwner, ownedElsewhere } from '../upload/ownership';
import type { UploadView } from './contract';
import { planTargets, type PlannedTargets, type TargetInput } from './fanout-plan';
import type { Runtime } from './runtime';
import { uploadView } from './views';

/**
 * The journal and the engine as a shell that runs uploads in its own process uses them (the
 * command line): plan a batch, journal it whole, run it, watch it as the contract's UploadView,
 * and take up what a gone process left. The same runtime and guards as the contract's commands.
 */
export class LocalUploads {
  constructor(private readonly rt: Runtime) {}

  get journalFile(): string {
    return this.rt.store.file;
  }

  get(id: string): Upload | undefined {
    return this.rt.store.uploads.getUpload(id);
  }

  list(options: ListUploadsOptions): Upload[] {
    return this.rt.store.uploads.listUploads(options);
  }

  listUnfinished(): Upload[] {
    return this.rt.store.uploads.listUnfinished();
  }

  /** The contract's view of an upload (for one this process runs, its live progress). */
  view(id: string): UploadView {
    return uploadView(this.rt.engine.snapshot(id), this.workedElsewhere(id));
  }

  /** "the desktop app (process 4242)" when another live process works on it, else null. */
  workedElsewhere(id: string): string | null {
    const holder = this.rt.engine.heldElsewhere(id);
    return holder ? describeOwner(holder) : null;
  }

  /** Throws, naming the process, when another live process works on the upload. */
  assertNotWorkedElsewhere(id: string): void {
    const holder = this.rt.engine.heldElsewhere(id);
    if (holder) throw ownedElsewhere(holder);
  }

  /**
   * Pre-flight of a batch, writing nothing: every target (a file to an account) is checked, each
   * account's files together in one round of requests (`planUploads`), the accounts in parallel;
   * names within the batch count too. One file to several accounts is a fan-out: its targets
   * share a `groupId` and fixed chunk boundaries. Refusals are all reported, never thrown (a
   * stop through `signal` shows as refusals too). Journal the plans with `commit`.
   */
  planTargets(inputs: readonly TargetInput[], signal?: AbortSignal): Promise<PlannedTargets> {
    return planTargets(this.rt, inputs, signal);
  }

  /** Journals planned uploads in one transaction: all of them, or (on any failure) none. */
  commit(plans: readonly NewUpload[]): Upload[] {
    const { store } = this.rt;
    return store.transaction(() => plans.map((p) => store.uploads.createUpload(p)));
  }

  enqueue(id: string): void {
    this.rt.engine.enqueue(id);
  }

  /**
   * Takes up an upload whose process is gone (or that never started): claims it, then resumes it
   * from what the server holds. `name` renames a failed one first.
   */
  async takeUp(id: string, name?: string): Promise<void> {
    const { engine, store } = this.rt;
    engine.takeOver(id);
    const state = store.uploads.getUpload(id)?.state;
    if (state === undefined)
      throw new FirmdropError('not-found', 'That upload is no longer in the journal.');
    if (state === 'queued') return engine.enqueue(id);
    if (state === 'failed' || state === 'waiting-network') {
      return engine.retry(id, name === undefined ? {} : { name });
    }
    engine.resume(id);
  }

  /** Stops an upload for good, taking it over first when its process is gone. */
  async cancel(id: string): Promise<void> {
    this.rt.engine.takeOver(id);
    await this.rt.engine.cancel(id);
  }

  /** Every change of an upload this process runs, as the contract's view. */
  onDidChange(listener: (view: UploadView) => void): Disposable {
    return this.rt.engine.onDidChange((s) => listener(uploadView(s)));
  }

  onNotice(listener: (notice: { uploadId: string; message: string }) => void): Disposable {
    return this.rt.engine.onNotice(listener);
  }

  whenIdle(): Promise<void> {
    return this.rt.engine.whenIdle();
  }

  /** Stops every run; their uploads become `interrupted`, to be resumed. */
  shutdown(): Promise<void> {
    return this.rt.engine.shutdown();
  }
}
