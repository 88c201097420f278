import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';

/**
 * Firmdrop's data folder holds upload history, file paths, account URLs and staged firmware: only
 * its owner may read it. Every folder Firmdrop makes is 0700 and every file 0600, set explicitly
 * where each is created (not through the process umask, which a library or the user may change),
 * and tightened again at start for installs made before this rule.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Windows has no POSIX modes (its ACLs already keep a profile's AppData private). */
export function hasFileModes(platform: NodeJS.Platform = process.platform): boolean {
  return platform !== 'win32';
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** Group or others may read, write or enter it. */
function isOpen(info: Stats): boolean {
  return (info.mode & 0o077) !== 0;
}

/** Creates the folder (and missing parents) 0700, and tightens it when it already existed. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tightenDir(dir);
}

/**
 * Creates an empty file 0600 when it does not exist yet, and tightens it when it does. SQLite
 * gives a database's -wal, -shm and -journal files the mode of the database file itself, so a
 * database created this way keeps all its companions private too.
 */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  tightenFile(file);
}

/** 0600 for a regular file; symlinks and other kinds are left alone (chmod would follow a link). */
export function tightenFile(file: string): void {
  if (!hasFileModes()) return;
  const info = lstatOrNull(file);
  if (info?.isFile() && isOpen(info)) chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * 0700 for a folder we own. Not for someone else's or a shared sticky one (/tmp): a data folder
 * named with --data-dir may be such a place, and only our own files in it are ours to change.
 */
function tightenDir(dir: string): void {
  if (!hasFileModes()) return;
  const info = lstatOrNull(dir);
  if (!info?.isDirectory() || !isOpen(info)) return;
  if (info.mode & 0o1000) return;
  if (process.getuid && info.uid !== process.getuid()) return;
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Folders 0700 and files 0600 through a whole tree. Symlinks are neither changed nor followed,
 * so a link inside the tree can never lead the walk (and its chmods) out of it.
 */
export function tightenTree(root: string): void {
  if (!hasFileModes()) return;
  const info = lstatOrNull(root);
  if (info?.isFile()) {
    tightenFile(root);
    return;
  }
  if (!info?.isDirectory()) return;
  tightenDir(root);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return; // gone meanwhile, or not ours to read: nothing to tighten
  }
  for (const name of names) tightenTree(join(root, name));
}
