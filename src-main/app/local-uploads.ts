import { FirmdropError, isFirmdropError, type ErrorCode } from '../core/errors';
import type { Disposable } from '../core/event';
import type { ListUploadsOptions, NewUpload, Upload } from '../store';
import { describeOwner, ownedElsewhere } from '../upload/ownership';
import { planUpload, type PrepareUploadInput } from '../upload/prepare-upload';
import type { UploadView } from './contract';
import type { Runtime } from './runtime';
import { relocateUpload } from './relocate-upload';
import { uploadView } from './views';

/** One file of a planned batch: the row to journal, or why it was refused, or not looked at. */
export type PlanOutcome =
  | { file: string; plan: NewUpload }
  | { file: string; refused: unknown }
  | { file: string; skipped: true };

// Problems of one file: planning goes on with the next file to report them all at once. Anything
// else (a refused key, a full account, no network) would only repeat for every file.
const PER_FILE: ReadonlySet<ErrorCode> = new Set([
  'file-missing',
  'file-unreadable',
  'file-empty',
  'invalid-input',
  'name-taken',
  'too-large',
]);

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
   * Pre-flight of a batch, writing nothing: every file is checked (names within the batch too).
   * A refusal of one file goes on to the next, so all such problems are told at once; any other
   * refusal ends the planning, and the files after it are `skipped`. So is the rest when `signal`
   * aborts. Journal the plans with `commit`, all or none.
   */
  async plan(inputs: readonly PrepareUploadInput[], signal?: AbortSignal): Promise<PlanOutcome[]> {
    const out: PlanOutcome[] = [];
    const planned: NewUpload[] = [];
    const settings = this.rt.engineSettings();
    let fatal = false;
    for (const input of inputs) {
      const file = input.filePath;
      if (fatal || signal?.aborted) {
        out.push({ file, skipped: true });
        continue;
      }
      // No key for the account is no file's problem: it ends the command as it is.
      const dm = await this.rt.accounts.clientFor(input.accountId);
      try {
        const plan = await planUpload(
          { store: this.rt.store, dm, settings },
          input,
          planned,
          signal,
        );
        planned.push(plan);
        out.push({ file, plan });
      } catch (err) {
        if (signal?.aborted) {
          out.push({ file, skipped: true });
          continue;
        }
        fatal = !(isFirmdropError(err) && PER_FILE.has(err.code));
        out.push({ file, refused: err });
      }
    }
    return out;
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

  /**
   * The upload's file moved: journals its new path once it is proven the same file (see
   * relocate-upload.ts). An upload another live process works on is refused, as for takeUp.
   */
  async relocate(id: string, path: string): Promise<Upload> {
    this.assertNotWorkedElsewhere(id);
    const u = this.get(id);
    if (!u) throw new FirmdropError('not-found', 'That upload is no longer in the journal.');
    return relocateUpload(this.rt.store, u, path);
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
