import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { FirmdropError } from '../core/errors';

export interface FileIdentity {
  size: number;
  mtimeMs: number;
}

/**
 * Checks that `path` can be uploaded at all: it exists, is a regular file, is readable and has
 * bytes (the service cannot complete an upload with no data). Each failure names the file and
 * says what to do.
 */
export async function inspectFile(path: string): Promise<FileIdentity> {
  const name = basename(path);
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new FirmdropError(
        'file-missing',
        `"${name}" was not found at ${path}. Check that the file still exists, or add it again.`,
        { cause: err },
      );
    }
    throw new FirmdropError(
      'file-unreadable',
      `"${name}" cannot be read (${code ?? 'error'}). Check its permissions.`,
      { cause: err },
    );
  }
  if (info.isDirectory()) {
    throw new FirmdropError(
      'invalid-input',
      `"${name}" is a folder. Choose the firmware image file inside it.`,
    );
  }
  if (!info.isFile()) {
    throw new FirmdropError(
      'invalid-input',
      `"${name}" is not a regular file (a device or pipe?). Choose the firmware image file itself.`,
    );
  }
  try {
    await access(path, constants.R_OK);
  } catch (err) {
    throw new FirmdropError(
      'file-unreadable',
      `"${name}" is not readable by this user. Check its permissions.`,
      { cause: err },
    );
  }
  if (info.size === 0) {
    throw new FirmdropError(
      'file-empty',
      `"${name}" is empty (0 bytes). The service cannot hold an empty image: choose the built image file.`,
    );
  }
  return { size: info.size, mtimeMs: info.mtimeMs };
}

/** True when the file on disk is still the one the journal describes. */
export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}
