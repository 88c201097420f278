import { FirmdropError } from '../core/errors';
import type { FirmwareImage } from '../dm/schemas';
import type { Upload, UploadPatch } from '../store';

/**
 * End-to-end check: the image the service now holds must have exactly the file's size and SHA-256.
 * `datafile_checksum` is of the plain image even when the service stores it encrypted; the
 * encrypted size and checksum are recorded as reported. A mismatch is loud: the image is not
 * what the technician built, and devices must not be sent to it.
 */
export function verifyImage(upload: Upload, image: FirmwareImage): UploadPatch {
  const where = `image ${image.id} ("${image.name}")`;
  if (upload.sha256 === null) {
    throw new FirmdropError(
      'internal',
      `The file's SHA-256 was not computed before verifying ${where}.`,
    );
  }
  if (image.datafile_size !== null && image.datafile_size !== upload.fileSize) {
    throw new FirmdropError(
      'verification-failed',
      `Verification failed: ${where} holds ${image.datafile_size} bytes, the file has ${upload.fileSize}. ` +
        'Do not deploy this image: delete it and upload the file again.',
    );
  }
  const checksum = image.datafile_checksum.trim().toLowerCase();
  if (checksum !== upload.sha256) {
    throw new FirmdropError(
      'verification-failed',
      `Verification failed: ${where} has SHA-256 ${checksum || '(none reported)'}, the file has ${upload.sha256}. ` +
        'Do not deploy this image: delete it and upload the file again.',
    );
  }
  return {
    imageId: image.id,
    datafileUrl: image.datafile,
    datafileChecksum: checksum,
    datafileSize: image.datafile_size ?? upload.fileSize,
    encryptedDatafileChecksum: image.encrypted_datafile_checksum,
    encryptedDatafileSize: image.encrypted_datafile_size,
    verified: true,
  };
}
