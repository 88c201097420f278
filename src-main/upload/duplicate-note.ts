import type { UploadRun } from './upload-run';

/**
 * After an image is verified: if the account already held an image with the same SHA-256, say so
 * (a technician may have uploaded the same build twice under two names). Advice only: a failure
 * to ask is ignored.
 */
export async function noteDuplicates(run: UploadRun): Promise<void> {
  const { sha256, imageId } = run.upload;
  if (!sha256 || !imageId) return;
  try {
    const same = await run.service.listImages(
      { datafile_checksum__eq: sha256, limit: 10 },
      { signal: run.signal },
    );
    const others = same.data.filter((i) => i.id !== imageId && i.datafile_checksum === sha256);
    if (others.length > 0) {
      // A few names say enough; the draft card already warned before Start (images:same-file).
      const shown = others.slice(0, 3).map((i) => `"${i.name}"`);
      const more = others.length - shown.length;
      const names = shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
      run.ports.notice(
        `"${run.upload.name}" has the same SHA-256 as ${names} already on this account: the same build was uploaded before.`,
      );
    }
  } catch {
    // Advice only.
  }
}
