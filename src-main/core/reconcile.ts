/**
 * What to do after a request died without an answer. The service appends chunks in arrival order
 * and takes no index (guide: "there is no way to specify chunk index"), so a chunk sent twice is
 * stored twice and the image is corrupt. Every rule below therefore asks the server what it holds
 * and acts only on a certain answer: match → go on, missing → resend, anything else → diverged.
 */
import { md5HexFromServer } from './digest';
import { FirmdropError } from './errors';

/** One chunk row of the journal (committed before its POST was sent). */
export interface JournalChunk {
  index: number;
  offset: number;
  length: number;
  md5Hex: string;
  /** The service answered 201 for it. */
  acknowledged: boolean;
}

/** One entry of `GET …/upload-jobs/{id}/chunks`. */
export interface ServerChunk {
  id: number;
  length: number;
  hash: string;
}

export interface ChunkReconcileInput {
  /** The job's chunk rows in index order: the whole plan or the rows written so far. */
  journal: readonly JournalChunk[];
  server: readonly ServerChunk[];
  /** From `GET …/upload-jobs/{id}` through jobIsCompleted. */
  jobCompleted: boolean;
  /** The journal holds the zero-length completing chunk as sent or being sent. */
  completionSent: boolean;
}

export type ChunkReconcile =
  | { kind: 'continue'; nextIndex: number; acknowledge: number[]; bytesOnServer: number }
  /**
   * The completing chunk was sent and seems to have landed, but the job does not say completed
   * yet: ask again after a pause; if that persists, treat it as diverged.
   */
  | { kind: 'completing' }
  | { kind: 'completed' }
  | { kind: 'diverged'; reason: string };

/** Job completion as either document spells it: seed `completed`, OpenAPI `complete`, or status. */
export function jobIsCompleted(job: {
  completed?: boolean | null;
  complete?: boolean | null;
  status?: string | null;
}): boolean {
  return job.completed === true || job.complete === true || job.status === 'completed';
}

/** Compares the journal with the server's chunk list and says whether and where to go on. */
export function reconcileChunks(input: ChunkReconcileInput): ChunkReconcile {
  const { journal, jobCompleted, completionSent } = input;
  assertJournal(journal);
  const server = [...input.server].sort((a, b) => a.id - b.id);
  const diverged = (reason: string): ChunkReconcile => ({ kind: 'diverged', reason });

  // Ids count from 1 and grow by one per appended chunk (guide); a gap or a repeat is not our job.
  const badId = server.findIndex((c, i) => c.id !== i + 1);
  if (badId !== -1) {
    return diverged(
      `The server's chunk ids are not 1…${server.length} in order (found id ${server[badId]?.id} at position ${badId + 1}).`,
    );
  }
  // Only the last chunk may be the zero-length one: it completes the job, nothing follows it.
  const emptyAt = server.findIndex((c) => c.length === 0);
  if (emptyAt !== -1 && emptyAt !== server.length - 1) {
    return diverged(
      `The server holds a zero-length chunk at id ${emptyAt + 1}, followed by more chunks.`,
    );
  }
  const hasCompletion = emptyAt !== -1;
  const data = hasCompletion ? server.slice(0, -1) : server;

  if (hasCompletion && !completionSent) {
    return diverged(
      'The server holds a completing (zero-length) chunk that this upload never sent.',
    );
  }
  if (jobCompleted && !completionSent) {
    return diverged(
      'The service reports the job completed, but this upload never sent the completing chunk.',
    );
  }
  // After completion the chunk list may be empty (guide: "…or you completed an upload"); then
  // only the image's size and SHA-256 can vouch for it, which the verify step checks.
  if (jobCompleted && server.length === 0) return { kind: 'completed' };
  // The same empty list while the job does not say completed yet: completion may be settling.
  // The caller asks again after a pause, and treats it as diverged if it persists.
  if (completionSent && server.length === 0 && journal.some((c) => c.acknowledged)) {
    return { kind: 'completing' };
  }
  if (data.length > journal.length) {
    return diverged(
      `The server holds ${data.length} data chunks; this upload journaled only ${journal.length}.`,
    );
  }
  let bytesOnServer = 0;
  const acknowledge: number[] = [];
  for (const [i, chunk] of data.entries()) {
    const mine = journal[i];
    if (mine === undefined) break; // unreachable: lengths checked above
    if (chunk.length !== mine.length) {
      return diverged(
        `Chunk ${chunk.id} on the server is ${chunk.length} bytes; this upload sent ${mine.length}.`,
      );
    }
    const hash = md5HexFromServer(chunk.hash);
    if (hash !== mine.md5Hex.toLowerCase()) {
      return diverged(
        `Chunk ${chunk.id} on the server has MD5 "${chunk.hash}"; this upload sent ${mine.md5Hex}.`,
      );
    }
    bytesOnServer += chunk.length;
    if (!mine.acknowledged) acknowledge.push(mine.index);
  }
  // The server once answered 201 for these; if it no longer lists them, its job is not ours.
  const lost = journal.slice(data.length).find((c) => c.acknowledged);
  if (lost !== undefined) {
    return diverged(
      `Chunk ${lost.index} was acknowledged by the server earlier but is no longer listed.`,
    );
  }

  if (jobCompleted) {
    if (!hasCompletion || data.length !== journal.length) {
      return diverged(
        `The job is completed, but the server lists ${data.length} of the ${journal.length} journaled data chunks${hasCompletion ? '' : ' and no completing chunk'}.`,
      );
    }
    return { kind: 'completed' };
  }
  if (hasCompletion) {
    return data.length === journal.length
      ? { kind: 'completing' }
      : diverged(`The job was completed after ${data.length} of ${journal.length} data chunks.`);
  }
  return { kind: 'continue', nextIndex: data.length + 1, acknowledge, bytesOnServer };
}

/** Journal rows must be 1…n with contiguous offsets from 0; anything else is a bug, not a server state. */
function assertJournal(journal: readonly JournalChunk[]): void {
  let offset = 0;
  for (const [i, c] of journal.entries()) {
    if (
      c.index !== i + 1 ||
      c.offset !== offset ||
      !(c.length > 0) ||
      !/^[0-9a-f]{32}$/iu.test(c.md5Hex)
    ) {
      throw new FirmdropError(
        'internal',
        `The upload journal is inconsistent at chunk row ${i + 1} (index ${c.index}, offset ${c.offset}, length ${c.length}). Cancel this upload and start it again.`,
      );
    }
    offset += c.length;
  }
}
