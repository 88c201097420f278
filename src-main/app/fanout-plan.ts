import { randomUUID } from 'node:crypto';
import { isFirmdropError, type ErrorCode } from '../core/errors';
import { DEFAULT_CHUNK } from '../core/limits';
import type { NewUpload } from '../store';
import { planUploads, type PrepareUploadInput } from '../upload/prepare-upload';
import type { TargetRefusal } from './contract';
import type { Runtime } from './runtime';

export { TargetsRefused } from './targets-refused';

/** One input of a batch, with the file's name as the user knows it. */
export type TargetInput = PrepareUploadInput & { fileName: string };

export interface PlannedTargets {
  /** The rows to journal, in input order, each with its input's index. */
  planned: Array<{ index: number; row: NewUpload }>;
  refused: TargetRefusal[];
}

/**
 * The pre-flight of a batch that may send one file to several accounts. Each account's files are
 * checked together (`planUploads`: one quota read, one name look-up), the accounts in parallel.
 * A problem of the whole account (a refused key, no answer) refuses each of its targets. Inputs
 * that name one file for two or more accounts get one `groupId`. Writes nothing.
 */
export async function planTargets(
  rt: Runtime,
  inputs: readonly TargetInput[],
  signal?: AbortSignal,
): Promise<PlannedTargets> {
  const groups = groupIds(inputs);
  const accountIds = [...new Set(inputs.map((i) => i.accountId))];
  const settings = rt.engineSettings();
  const perAccount = await Promise.all(
    accountIds.map(async (accountId) => {
      const indexes = inputs.flatMap((input, i) => (input.accountId === accountId ? [i] : []));
      try {
        const dm = await rt.accounts.clientFor(accountId);
        const results = await planUploads(
          { store: rt.store, dm, settings },
          indexes.map((i) => inputs[i] as TargetInput),
          { signal },
        );
        return results.map((r, k) => ({ index: indexes[k] as number, ...r }));
      } catch (error) {
        return indexes.map((index) => ({ index, ok: false as const, error }));
      }
    }),
  );
  const planned: PlannedTargets['planned'] = [];
  const refused: TargetRefusal[] = [];
  for (const r of perAccount.flat().sort((a, b) => a.index - b.index)) {
    const input = inputs[r.index] as TargetInput;
    if (r.ok) {
      const groupId = groups.get(r.index);
      planned.push({ index: r.index, row: groupId ? grouped(r.row, groupId) : r.row });
    } else {
      refused.push(refusalOf(rt, r.index, input, r.error));
    }
  }
  return { planned, refused };
}

/**
 * A target of a fan-out. Its chunk boundaries are fixed (the setting, else the default size)
 * rather than adapted to its own link: every target then cuts the same chunks, so one hash pass
 * gives them all their MD5s and one read of a block serves them all.
 */
function grouped(row: NewUpload, groupId: string): NewUpload {
  const chunkSize = row.path === 'job' ? (row.chunkSize ?? DEFAULT_CHUNK) : row.chunkSize;
  return { ...row, groupId, chunkSize };
}

/** Same file (path), two or more accounts: one fan-out group. */
function groupIds(inputs: readonly TargetInput[]): Map<number, string> {
  const byFile = new Map<string, number[]>();
  inputs.forEach((input, i) =>
    byFile.set(input.filePath, [...(byFile.get(input.filePath) ?? []), i]),
  );
  const out = new Map<number, string>();
  for (const indexes of byFile.values()) {
    const accounts = new Set(indexes.map((i) => inputs[i]?.accountId));
    if (accounts.size < 2) continue;
    const id = randomUUID();
    for (const i of indexes) out.set(i, id);
  }
  return out;
}

function refusalOf(rt: Runtime, index: number, input: TargetInput, error: unknown): TargetRefusal {
  const fe = isFirmdropError(error) ? error : null;
  const code: ErrorCode = fe?.code ?? 'internal';
  return {
    index,
    accountId: input.accountId,
    accountName: rt.store.accounts.get(input.accountId)?.name ?? input.accountId,
    fileName: input.fileName,
    code,
    message: error instanceof Error ? error.message : String(error),
    ...(fe?.cliMessage ? { cliMessage: fe.cliMessage } : {}),
    ...(fe?.suggestion ? { suggestion: fe.suggestion } : {}),
  };
}
