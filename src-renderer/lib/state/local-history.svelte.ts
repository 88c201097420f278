import type { HistoryExportFormat } from '../../../src-main/app/contract';
import { messageOf, saveHistoryExport } from '../api';
import { notices } from './notices.svelte';
import { uploads } from './uploads.svelte';

/** The local history's own actions: export it, or delete its finished records on purpose. */
export class LocalHistoryState {
  exporting = $state<HistoryExportFormat | null>(null);

  /** Finished (done or cancelled) uploads of one account, or of all ('') : what a deletion takes. */
  finishedOf(accountId: string): number {
    return uploads.items.filter(
      (u) =>
        (accountId === '' || u.accountId === accountId) &&
        (u.phase === 'done' || u.phase === 'cancelled'),
    ).length;
  }

  /** Every record of one account (or all): what an export holds, what removing an account takes. */
  recordsOf(accountId: string): number {
    return uploads.items.filter((u) => accountId === '' || u.accountId === accountId).length;
  }

  async export(format: HistoryExportFormat, accountId: string): Promise<void> {
    this.exporting = format;
    try {
      const { saved, rows } = await saveHistoryExport({
        format,
        ...(accountId ? { accountId } : {}),
      });
      if (saved) {
        notices.push(
          'success',
          `Exported ${rows} upload${rows === 1 ? '' : 's'} as ${format.toUpperCase()}.`,
        );
      }
    } catch (err) {
      notices.push('error', messageOf(err));
    } finally {
      this.exporting = null;
    }
  }

  async delete(accountId: string): Promise<void> {
    const deleted = await uploads.deleteHistory(accountId);
    if (deleted !== null) {
      notices.push(
        'success',
        `Deleted ${deleted} finished upload${deleted === 1 ? '' : 's'} from the local history.`,
      );
    }
  }
}

export const localHistory = new LocalHistoryState();
