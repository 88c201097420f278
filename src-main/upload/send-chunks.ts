import { basename } from 'node:path';
import { chunkAt, chunkCountEstimate, type PlannedChunk } from '../core/chunk-plan';
import { md5HexFromServer } from '../core/digest';
import { FirmdropError } from '../core/errors';
import { describeFileChange } from '../core/file-change';
import { chunkBody } from './chunk-body';
import type { ChunkSizer } from './chunk-sizer';
import type { ChunkSource, HeldChunk, SendChunk } from './chunk-source';
import { inspectFile, sameIdentity } from './file-identity';
import { JobUntrusted } from './run-outcomes';
import type { ChunkPosition } from './types';
import type { UploadRun } from './upload-run';

/**
 * Appends the chunks from `from` to the end of the file, one at a time (the service appends in
 * arrival order). Chunk k+1 is hashed while chunk k is on the wire; each chunk's size is decided
 * as it is cut (fixed, or adapted to the link) and journaled with the row before its POST. A
 * resume checks the chunks already held in parallel (ChunkSource.begin); only completion waits.
 */
export async function sendChunks(
  run: UploadRun,
  src: ChunkSource,
  jobId: string,
  from: { index: number; offset: number },
  held: readonly HeldChunk[],
  /** The first chunk, when the caller already planned it (and started its hash). */
  first?: PlannedChunk,
): Promise<void> {
  const fileSize = src.fileSize;
  if (from.offset >= fileSize) return;
  const sizer = run.chunkSizer();
  let begun = false;
  let next =
    first && first.index === from.index && first.offset === from.offset
      ? first
      : {
          index: from.index,
          offset: from.offset,
          length: chunkAt(from.offset, fileSize, sizer.next()),
        };
  while (next.length > 0) {
    run.checkStopped();
    throwIfPrefixChanged(src);
    await assertUnchanged(run);
    const chunk = await src.hashed(next.index, next.offset, next.length);
    if (!begun) {
      // The check of chunks held from an earlier run starts once the first chunk to send is
      // hashed, so the two hashers do not compete for the CPU on the way to the first POST.
      src.begin(from.offset, held);
      begun = true;
    }
    const end = chunk.offset + chunk.length;
    const after = {
      index: chunk.index + 1,
      offset: end,
      length: chunkAt(end, fileSize, sizer.next()),
    };
    // Hash the next chunk while this one is on the wire.
    src.prefetch(after.index, after.offset, after.length);
    // Journal first: the row is committed before the request that appends it is sent.
    run.ports.journal.journalChunk(run.uploadId, {
      idx: chunk.index,
      offset: chunk.offset,
      length: chunk.length,
      md5: chunk.md5Hex,
    });
    const position = chunkPosition(run, chunk, after, sizer);
    run.ports.reporter.startedChunk(position);
    // The phase moves once the first chunk is ready, so "uploading" is told with its chunk.
    if (run.upload.state !== 'uploading') run.event('upload');
    await run.ports.gate.wait(run.signal);
    const timing = { first: 0, last: 0 };
    const answer = await run.service.appendChunk(jobId, {
      body: chunkBody({
        path: src.path,
        index: chunk.index,
        chunk,
        buffers: src.bodyBuffers,
        limiter: run.ports.limiter,
        signal: run.signal,
        blocks: run.ports.blocks,
      }),
      md5Base64: chunk.md5Base64,
      signal: run.signal,
      onProgress: (sent, total) => {
        const t = run.clock.now();
        if (timing.first === 0) timing.first = t;
        if (sent >= total) timing.last = t;
        run.ports.reporter.sending(sent);
      },
    });
    const answered = run.clock.now();
    if (
      answer.id !== chunk.index ||
      answer.length !== chunk.length ||
      md5HexFromServer(answer.hash) !== chunk.md5Hex
    ) {
      throw new JobUntrusted(
        `The server stored chunk ${chunk.index} as id ${answer.id} with ${answer.length} bytes and MD5 ${answer.hash}; expected id ${chunk.index}, ${chunk.length} bytes, MD5 ${chunk.md5Hex}.`,
      );
    }
    const acked = run.ports.journal.ackChunk(run.uploadId, chunk.index, answer.id);
    if (timing.last > 0) {
      sizer.acknowledged({
        length: chunk.length,
        wireMs: timing.last - timing.first,
        idleMs: answered - timing.last,
      });
    }
    run.ports.reporter.acknowledged(acked, position);
    next = after;
  }
}

/** "Chunk k of n", n counting the rest at the size planned next (an estimate while sizes adapt). */
function chunkPosition(
  run: UploadRun,
  chunk: SendChunk,
  after: { length: number },
  sizer: ChunkSizer,
): ChunkPosition {
  const fileSize = run.upload.fileSize;
  const total = chunkCountEstimate(chunk, fileSize, after.length > 0 ? after.length : sizer.peek());
  const estimated = sizer.adaptive && chunk.offset + chunk.length + after.length < fileSize;
  return { current: chunk.index, total, estimated };
}

/** A resumed upload's held chunks, checked in parallel, no longer match the file: start over. */
function throwIfPrefixChanged(src: ChunkSource): void {
  const problem = src.prefixProblem();
  if (problem instanceof Error) throw problem;
  if (problem) throw changedSince(problem.changedAt);
}

export function changedSince(index: number): JobUntrusted {
  return new JobUntrusted(
    `The file changed since chunk ${index} was sent (its bytes differ now); starting the upload over.`,
  );
}

/**
 * Checked before every chunk and before completion: a file that changed (a build still writing
 * it) is noticed at the next chunk, not after all of them, and once the job is completed the
 * image exists. The upload stops; Retry starts it over cleanly with the new file.
 */
export async function assertUnchanged(run: UploadRun): Promise<void> {
  const u = run.upload;
  const now = await inspectFile(u.filePath);
  const before = { size: u.fileSize, mtimeMs: u.fileMtimeMs };
  if (!sameIdentity(now, before)) {
    throw new FirmdropError(
      'file-changed',
      `${describeFileChange(basename(u.filePath), before, now, timeOfDay)} ` +
        'Wait until it is completely written, then retry: the upload starts over with the new file.',
    );
  }
}

/** The engine's local time of day, as a person reads it next to their own clock ("14:02:11"). */
function timeOfDay(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}
