import type { FirmwareImage } from '../dm/schemas';
import type { UploadRun } from './upload-run';

/** The account's images with the file's SHA-256, asked for early; null when it could not be asked. */
export type SameChecksum = Promise<FirmwareImage[] | null>;

/**
 * Starts the duplicate look-up. It needs only the file's SHA-256, so it goes out beside the
 * requests that finish the upload (the POST, the job read) instead of after them, saving a round
 * trip. Advice only: a failure to ask resolves to null and is never an upload's failure.
 */
export function lookUpSameChecksum(run: UploadRun): SameChecksum {
  const { sha256 } = run.upload;
  if (!sha256) return Promise.resolve(null);
  return run.service
    .listImages({ datafile_checksum__eq: sha256, limit: 10 }, { signal: run.signal })
    .then(
      (page) => page.data,
      () => null,
    );
}

/**
 * After an image is verified: if the account already held an image with the same SHA-256, say so
 * (a technician may have uploaded the same build twice under two names). The image itself may or
 * may not be in the answer (it was asked for while the image was being made): it is left out.
 */
export async function noteDuplicates(run: UploadRun, found: SameChecksum): Promise<void> {
  const { sha256, imageId } = run.upload;
  const same = await found;
  if (!sha256 || !imageId || !same) return;
  const others = same.filter((i) => i.id !== imageId && i.datafile_checksum === sha256);
  if (others.length > 0) {
    // A few names say enough; the draft card already warned before Start (images:same-file).
    const shown = others.slice(0, 3).map((i) => `"${i.name}"`);
    const more = others.length - shown.length;
    const names = shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
    run.ports.notice(
      `"${run.upload.name}" has the same SHA-256 as ${names} already on this account: the same build was uploaded before.`,
    );
  }
}
