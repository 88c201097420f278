import type { FirmdropError } from '../core/errors';
import { nextState } from '../core/upload-state';
import type { Upload } from '../store';
import { cleanUpCancelled } from './cancel';
import type { Ownership } from './ownership';
import type { UploadJournal } from './ports';
import type { ProgressReporter } from './progress-reporter';
import type { EngineDeps, StopReason } from './types';

export interface RunEndingsDeps {
  journal: UploadJournal;
  ownership: Ownership;
  client: EngineDeps['client'];
  /** The journal's row, or undefined when it is gone. */
  find(id: string): Upload | undefined;
  /** The journal's row; throws a clear "no such upload" when it is gone. */
  get(id: string): Upload;
  /** Tells the UI about a row no run reports on. */
  emitRow(u: Upload): void;
}

/**
 * What the engine writes when a run ends other than verified: a failure, a stop (pause,
 * shutdown, another process taking over) and a cancel, whose job is deleted on the server. Each
 * leaves the row in its state and lets go of the upload's lease, except a stop because another
 * process holds the upload now: its row is that process's to write.
 */
export class RunEndings {
  constructor(private readonly d: RunEndingsDeps) {}

  fail(id: string, reporter: ProgressReporter, error: FirmdropError): void {
    const row = this.d.find(id);
    if (row) {
      const state = nextState(row.state, 'fail') ?? 'failed';
      reporter.update(
        this.d.journal.update(id, { state, errorCode: error.code, errorMessage: error.message }),
      );
      reporter.setProblem(error);
    }
    this.d.ownership.release(id);
  }

  async stopped(
    id: string,
    row: Upload,
    reason: StopReason,
    reporter: ProgressReporter,
  ): Promise<void> {
    if (reason === 'lost') return;
    if (reason === 'cancel') {
      await this.finishCancel(id, reporter);
    } else {
      const event = reason === 'pause' ? 'pause' : 'interrupt';
      // A pause that lands while the completing chunk is out cannot pause: it is interrupted instead.
      const state = nextState(row.state, event) ?? nextState(row.state, 'interrupt') ?? row.state;
      reporter.update(this.d.journal.update(id, { state }));
    }
    this.d.ownership.release(id);
  }

  /** Deletes the upload's job on the server (when it can) and marks the row cancelled. */
  async finishCancel(id: string, reporter?: ProgressReporter): Promise<void> {
    const row = this.d.get(id);
    const service = await this.d.client(row.accountId).catch(() => null);
    const note = service
      ? await cleanUpCancelled(service, row)
      : 'The account could not be reached; delete its upload job by hand.';
    const updated = this.d.journal.update(id, {
      state: 'cancelled',
      errorCode: null,
      errorMessage: note,
    });
    if (reporter) reporter.update(updated);
    else this.d.emitRow(updated);
  }
}
