/**
 * How a file is cut into upload-job chunks, and which upload path a file takes.
 * The service checks the 5 MiB minimum only when the job completes (the guide: S3 reports the
 * failure "until the last packet"), so a wrong plan would waste the whole upload: we enforce it here.
 */
import { FirmdropError } from './errors';
import { formatCount } from './format';
import { MAX_REQUEST, MAX_SMALL_FILE, MiB, MIN_CHUNK } from './limits';

export interface PlannedChunk {
  /** 1-based, equal to the chunk id the service will give this chunk when appended in order. */
  index: number;
  offset: number;
  length: number;
}

export type UploadPath = 'small' | 'job';

/** Why a chunk size is unusable, or null when it is fine; shared with as-you-type validation. */
export function chunkSizeProblem(chunkSize: number): string | null {
  const range = `${sizeText(MIN_CHUNK)} to ${sizeText(MAX_REQUEST)}`;
  if (!Number.isSafeInteger(chunkSize)) {
    return `Chunk size must be a whole number of bytes from ${range}.`;
  }
  if (chunkSize < MIN_CHUNK || chunkSize > MAX_REQUEST) {
    return `Chunk size is ${sizeText(chunkSize)}; the service needs chunks of ${range}. Choose a size in that range.`;
  }
  return null;
}

// Exact when it matters: 5 MiB minus one byte must not read as "5.0 MiB".
function sizeText(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${formatCount(bytes)} bytes`;
}

/** Throws unless fileSize is a positive whole number: an empty file can be neither posted nor completed. */
export function assertUploadableSize(fileSize: number): void {
  if (!Number.isSafeInteger(fileSize) || fileSize < 0) {
    throw new FirmdropError('internal', `File size ${fileSize} is not a byte count.`);
  }
  if (fileSize === 0) {
    // Guide: "You can't complete an upload that has no data. The first chunk … can't be of length zero."
    throw new FirmdropError(
      'file-empty',
      'The file is empty (0 bytes); the service does not accept empty images. Choose the built firmware file.',
    );
  }
}

/** Cuts fileSize bytes into chunkSize pieces in file order; only the last may be shorter (even tiny). */
export function planChunks(fileSize: number, chunkSize: number): PlannedChunk[] {
  const problem = chunkSizeProblem(chunkSize);
  if (problem !== null) throw new FirmdropError('invalid-input', problem);
  assertUploadableSize(fileSize);
  const chunks: PlannedChunk[] = [];
  for (let offset = 0, index = 1; offset < fileSize; offset += chunkSize, index += 1) {
    chunks.push({ index, offset, length: Math.min(chunkSize, fileSize - offset) });
  }
  return chunks;
}

/**
 * The single multipart POST is used only when the file is at most the (clamped) threshold and the
 * whole request, envelope included, stays within 100 MiB; everything else goes through a job.
 * A threshold of 0 means "always use a resumable job".
 */
export function choosePath(fileSize: number, smallThreshold: number): UploadPath {
  assertUploadableSize(fileSize);
  // Infinity is allowed ("as large as the service permits") and clamps like any other large value.
  if (Number.isNaN(smallThreshold)) {
    throw new FirmdropError('invalid-input', 'The small-file threshold must be a number of bytes.');
  }
  const limit = Math.min(Math.max(smallThreshold, 0), MAX_SMALL_FILE);
  return fileSize <= limit ? 'small' : 'job';
}
