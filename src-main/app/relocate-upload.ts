import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename, resolve } from 'node:path';
import { FirmdropError } from '../core/errors';
import { formatCount } from '../core/format';
import type { Store, Upload } from '../store';
import { inspectFile } from '../upload/file-identity';

/**
 * Points an upload at its file's new place (the file was moved or copied) after proving it is the
 * same file: the same size, the same bytes in every chunk journaled so far (acknowledged by the
 * server, or sent without an answer: the server may hold it), and the same SHA-256 when the
 * journal knows it. Anything else is
 * refused and the journal is left as it was: appending a different file's bytes to the job would
 * only fail at verification, after a full upload. Only then are the path and its mtime journaled,
 * so the engine's own identity check sees the new file as unchanged.
 */
export async function relocateUpload(store: Store, u: Upload, path: string): Promise<Upload> {
  const file = resolve(path);
  const identity = await inspectFile(file);
  const refuse = (what: string) =>
    new FirmdropError(
      'file-changed',
      `${file} is not the file upload ${u.id} ("${u.name}") began with: ${what}. Nothing was changed; give the path of the file it began with (${basename(u.filePath)}), or upload this one with "firmdrop upload".`,
    );
  if (identity.size !== u.fileSize) {
    throw refuse(
      `it has ${formatCount(identity.size)} bytes, the upload's file had ${formatCount(u.fileSize)}`,
    );
  }
  for (const c of store.uploads.listChunks(u.id)) {
    if (c.length === 0) continue;
    const md5 = await digestOf(file, 'md5', c.offset, c.length);
    if (md5 !== c.md5) {
      throw refuse(
        `its bytes ${formatCount(c.offset)} to ${formatCount(c.offset + c.length)} (chunk ${c.idx}, ${c.acked ? 'already on the server' : 'sent before'}) differ`,
      );
    }
  }
  if (u.sha256 !== null && (await digestOf(file, 'sha256', 0, identity.size)) !== u.sha256) {
    throw refuse('its SHA-256 differs');
  }
  return store.uploads.updateUpload(u.id, { filePath: file, fileMtimeMs: identity.mtimeMs });
}

function digestOf(
  file: string,
  algorithm: 'md5' | 'sha256',
  offset: number,
  length: number,
): Promise<string> {
  return new Promise((ok, fail) => {
    const hash = createHash(algorithm);
    createReadStream(file, { start: offset, end: offset + length - 1 })
      .on('data', (b) => hash.update(b))
      .on('error', fail)
      .on('end', () => ok(hash.digest('hex')));
  });
}
