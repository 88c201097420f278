import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { FirmdropError } from '../core/errors';
import { MiB } from '../core/limits';
import { reconcileSmallPost } from '../core/reconcile-create';
import { isDmApiError } from '../dm/errors';
import type { FirmwareImage } from '../dm/schemas';
import { nameTaken } from './job-steps';
import type { UploadRun } from './upload-run';
import { verifyImage } from './verify';
import { lookUpSameChecksum, noteDuplicates } from './duplicate-note';

/**
 * A small file goes by one streamed multipart POST. Its SHA-256 is computed first (the file is
 * small) so a lost answer can be settled by finding the image by name and comparing checksums.
 */
export async function runSmallAttempt(run: UploadRun): Promise<void> {
  if (run.upload.sha256 === null) {
    run.event('hash');
    const { filePath, fileSize } = run.upload;
    const compute = () => hashSmallFile(filePath, fileSize);
    // A fan-out's targets take the first one's hash (one pass over the file for all).
    const sha256 = await (run.ports.sharedSha256 ? run.ports.sharedSha256(compute) : compute());
    run.patch({ sha256 });
  }
  // Goes out beside the POST: it needs only the SHA-256, and costs no round trip of its own.
  const sameChecksum = lookUpSameChecksum(run);
  const image =
    (run.upload.createSentAt !== null ? await findPosted(run) : null) ?? (await post(run));
  run.event('verify');
  run.patch(verifyImage(run.upload, image));
  await noteDuplicates(run, sameChecksum);
  run.event('succeed', { errorCode: null, errorMessage: null });
}

/** The earlier POST's answer was lost: did it create the image? */
async function findPosted(run: UploadRun): Promise<FirmwareImage | null> {
  const u = run.upload;
  const found = await run.service.listImages(
    { name__eq: u.name, limit: 10 },
    { signal: run.signal },
  );
  const decision = reconcileSmallPost({
    name: u.name,
    size: u.fileSize,
    sha256Hex: u.sha256 ?? '',
    found: found.data.map((i) => ({
      id: i.id,
      name: i.name,
      datafileSize: i.datafile_size,
      datafileChecksum: i.datafile_checksum,
    })),
  });
  if (decision.kind === 'adopt')
    return run.service.getImage(decision.imageId, { signal: run.signal });
  if (decision.kind === 'conflict') throw await nameTaken(run, decision.reason);
  return null;
}

async function post(run: UploadRun): Promise<FirmwareImage> {
  run.checkStopped();
  const u = run.upload;
  run.event('upload', { createSentAt: run.clock.now() });
  await run.ports.gate.wait(run.signal);
  try {
    const image = await run.service.createImageSmall({
      name: u.name,
      description: u.description,
      encrypt: u.encryption,
      file: { path: u.filePath, size: u.fileSize, fileName: basename(u.filePath) },
      signal: run.signal,
      onProgress: (sent) => run.ports.reporter.sending(Math.min(sent, u.fileSize)),
    });
    run.ports.reporter.acknowledged(u.fileSize, null);
    return image;
  } catch (err) {
    if (isDmApiError(err, 409)) throw await nameTaken(run);
    throw err;
  }
}

/**
 * Hashed here rather than on the chunk reader's worker thread: a small file takes milliseconds,
 * while starting a worker per file staggered a batch of small files by tens of milliseconds each.
 */
async function hashSmallFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  let read = 0;
  try {
    const stream = createReadStream(path, { start: 0, end: size - 1, highWaterMark: MiB });
    for await (const piece of stream as AsyncIterable<Buffer>) {
      hash.update(piece);
      read += piece.length;
    }
    if (read !== size) throw new Error(`it holds ${read} bytes, not the ${size} expected`);
    return hash.digest('hex');
  } catch (err) {
    throw new FirmdropError(
      'file-unreadable',
      `Reading ${basename(path)} failed: ${(err as Error).message}. Check the file and retry.`,
      { cause: err },
    );
  }
}
