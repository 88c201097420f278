import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { PassThrough, pipeline } from 'node:stream';

export interface FileDigest {
  size: number;
  /** SHA-256 hex of the plain data: the image's `datafile_checksum`. */
  sha256: string;
  /** Size and SHA-256 of the stored encrypted form, when the image is encrypted. */
  encrypted: { size: number; sha256: string } | null;
}

/**
 * The service encrypts an image at rest when asked (`datafile_encryption`). The sandbox emulates
 * that deterministically: the stored form is IV || AES-256-CTR(data) with a key and IV derived
 * from the image id, so its size and checksum are stable and differ from the plain ones.
 */
function imageCipher(imageId: string) {
  const key = createHash('sha256').update(`firmdrop-sandbox:key:${imageId}`).digest();
  const iv = createHash('md5').update(`firmdrop-sandbox:iv:${imageId}`).digest();
  return { iv, cipher: createCipheriv('aes-256-ctr', key, iv) };
}

/** One streaming pass over a file: plain digest plus, if `encryptFor` names an image, the encrypted one. */
export async function digestFile(path: string, encryptFor: string | null): Promise<FileDigest> {
  const plain = createHash('sha256');
  let size = 0;
  const enc = encryptFor === null ? null : imageCipher(encryptFor);
  const encHash = createHash('sha256');
  if (enc) encHash.update(enc.iv);
  for await (const piece of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const buf = piece as Buffer;
    size += buf.length;
    plain.update(buf);
    if (enc) encHash.update(enc.cipher.update(buf));
  }
  if (!enc) return { size, sha256: plain.digest('hex'), encrypted: null };
  encHash.update(enc.cipher.final());
  return {
    size,
    sha256: plain.digest('hex'),
    encrypted: { size: size + enc.iv.length, sha256: encHash.digest('hex') },
  };
}

/** The stored encrypted form of an image (IV || ciphertext), streamed. */
export function encryptedStream(path: string, imageId: string): Readable {
  const { iv, cipher } = imageCipher(imageId);
  const out = new PassThrough();
  out.write(iv);
  pipeline(createReadStream(path), cipher, out, () => undefined);
  return out;
}
