import type { DmClient } from '../dm/client';
import { isDmApiError } from '../dm/errors';
import type { Upload } from '../store';

/**
 * Cancel deletes what the upload left on the server: its unfinished job (the chunks go with it).
 * Returns a note for the journal. An image that was already created is left alone: the user can
 * delete it from History; deleting an image by surprise is worse than leaving one.
 */
export async function cleanUpCancelled(
  dm: Pick<DmClient, 'deleteUploadJob'>,
  upload: Upload,
): Promise<string> {
  if (!upload.jobId) return 'Cancelled.';
  try {
    await dm.deleteUploadJob(upload.jobId);
    return 'Cancelled; its upload job was deleted from the server.';
  } catch (err) {
    if (isDmApiError(err, 404)) return 'Cancelled.';
    return `Cancelled, but its upload job ${upload.jobId} could not be deleted (${(err as Error).message}). Delete it from History → Upload jobs.`;
  }
}
