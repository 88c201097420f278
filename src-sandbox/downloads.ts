import { createReadStream } from 'node:fs';
import { ApiError } from './api-error';
import type { Ctx, Reply } from './context';
import { encryptedStream } from './digest';

/**
 * GET/HEAD /downloads/{image_id}/{file}: the `datafile` URL. Like the service's storage URL it
 * needs no API key. An encrypted image is served in its stored, encrypted form, whose size and
 * SHA-256 are the image's `encrypted_datafile_size` and `encrypted_datafile_checksum`.
 */
export async function download(ctx: Ctx): Promise<Reply> {
  const [id = '', file = ''] = ctx.params;
  const image = ctx.state.store.images.get(id);
  if (!image || file !== image.datafile_name) {
    throw new ApiError(
      404,
      'There is no firmware image file at this URL (was the image deleted?).',
    );
  }
  const path = ctx.state.store.imageDataPath(image.id);
  const encrypted = image.datafile_encryption;
  const size = encrypted ? (image.encrypted_datafile_size ?? 0) : image.datafile_size;
  return {
    status: 200,
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(size),
      ETag: `"${encrypted ? image.encrypted_datafile_checksum : image.datafile_checksum}"`,
    },
    stream: () => (encrypted ? encryptedStream(path, image.id) : createReadStream(path)),
    headOnly: ctx.method === 'HEAD',
  };
}
