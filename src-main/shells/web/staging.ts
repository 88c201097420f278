import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, statfs } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Result, StagedFile } from '../../app/contract';
import { formatBytes } from '../../core/format';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../app/adapters';
import { sendError, sendJson } from './http-util';

export interface StagingOptions {
  /** Where spooled copies of browser files are written; created when missing. */
  dir: string;
  /** Largest file accepted, in bytes. Default 8 GiB. */
  maxBytes?: number;
  /** Files received at once; more are refused (429). Default 4. */
  maxConcurrent?: number;
  /** Free space left on the disk after a staged copy (the journal needs room too). Default 64 MiB. */
  reserveBytes?: number;
}

export const DEFAULT_STAGING_MAX_BYTES = 8 * 1024 ** 3;
export const DEFAULT_STAGING_CONCURRENCY = 4;
export const DEFAULT_STAGING_RESERVE_BYTES = 64 * 1024 ** 2;

/** Refs are opaque to the browser; this shape is what makes them safe to turn into a path. */
const REF_PATTERN = /^stg_[0-9a-f]{32}$/;

export function isStagedRef(ref: string): boolean {
  return REF_PATTERN.test(ref);
}

/**
 * The path of a fully received staged file, or null for anything else (a malformed ref, one still
 * being written, or one already removed). The app service calls this to turn a web StagedFile.ref
 * into the file it uploads; a browser can never name an arbitrary path this way.
 */
export function resolveStagedRef(dir: string, ref: string): string | null {
  if (!isStagedRef(ref)) return null;
  // <dir>/<ref>/<original file name>: the file keeps its own name, which the upload shows and
  // sends as the datafile's name.
  const folder = join(dir, ref);
  if (!existsSync(folder)) return null;
  const [name, ...more] = readdirSync(folder);
  return name !== undefined && more.length === 0 ? join(folder, name) : null;
}

/** The ref a staged file's path belongs to, or null for any other path. */
export function stagedRefOf(dir: string, path: string): string | null {
  const rel = relative(dir, path).split(sep);
  return rel.length === 2 && rel[0] !== undefined && isStagedRef(rel[0]) ? rel[0] : null;
}

/** Removes a staged file once the upload that used it is finished with it. */
export async function discardStagedRef(dir: string, ref: string): Promise<void> {
  if (isStagedRef(ref)) await rm(join(dir, ref), { recursive: true, force: true });
}

/**
 * At start: copies a previous run left behind — half-received `.part` files, and staged files no
 * unfinished upload uses (a refused batch, a draft never started, a crash before cleanup).
 * `inUse` are the file paths of the journal's unfinished uploads.
 */
export async function removeStagedLeftovers(
  dir: string,
  inUse: Iterable<string>,
): Promise<string[]> {
  const kept = new Set<string>();
  for (const path of inUse) {
    const ref = stagedRefOf(dir, path);
    if (ref) kept.add(ref);
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return []; // no staging folder yet
  }
  const removed: string[] = [];
  for (const name of names) {
    const leftover = name.endsWith('.part')
      ? isStagedRef(name.slice(0, -5))
      : isStagedRef(name) && !kept.has(name);
    if (!leftover) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

class OverDeclaredError extends Error {}

/** Passes bytes on until there are more than `limit`: the size the browser declared. */
function byteCounter(limit: number): { stream: Transform; count: () => number } {
  let count = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      count += chunk.length;
      if (count > limit) done(new OverDeclaredError());
      else done(null, chunk);
    },
  });
  return { stream, count: () => count };
}

/**
 * A file name as the browser reported it, or null when it cannot be one file's name on disk: the
 * browser sends the bare name, so a path (a slash or backslash), `.`, `..` or an empty name is a
 * request no page of ours makes. Control characters are dropped.
 */
export function cleanFileName(raw: string | null): string | null {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we strip
  const name = (raw ?? '').replace(/[\u0000-\u001f\u007f]/g, '');
  if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name)) return null;
  return Buffer.byteLength(name) <= 255 ? name : null;
}

/** Bytes free for this user on the disk holding `dir`. */
async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

export type StageHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/**
 * PUT/POST /api/stage?name=<file name>&size=<bytes>, raw file bytes as the body. The body is
 * streamed to `<dir>/<ref>.part` and moved to `<dir>/<ref>/<name>` only once complete, so a half
 * received file is never resolvable and is removed when the request dies. Before a byte is
 * written the name, the size, the number of files being received and the free space are checked;
 * while reading, the body may not pass the size it declared.
 */
export function createStageHandler(options: StagingOptions): StageHandler {
  const opts = {
    maxBytes: DEFAULT_STAGING_MAX_BYTES,
    maxConcurrent: DEFAULT_STAGING_CONCURRENCY,
    reserveBytes: DEFAULT_STAGING_RESERVE_BYTES,
    ...options,
  };
  let receiving = 0;
  // Bytes promised to files still arriving, so two large files cannot both pass the space check.
  let promised = 0;

  return async (req, res, url) => {
    const fileName = cleanFileName(url.searchParams.get('name'));
    const declared = Number(url.searchParams.get('size') ?? NaN);
    if (!fileName) {
      sendError(
        res,
        400,
        'invalid-input',
        'The file has no usable name (empty, ".", ".." or containing a slash): rename it and drop it again.',
        'fileName',
      );
      return;
    }
    if (!Number.isSafeInteger(declared) || declared < 0) {
      sendError(
        res,
        400,
        'invalid-input',
        `The size of "${fileName}" was not sent: drop it again.`,
      );
      return;
    }
    if (declared > opts.maxBytes) {
      res.setHeader('Connection', 'close');
      sendError(
        res,
        413,
        'too-large',
        `"${fileName}" is larger than this shell accepts (${formatBytes(opts.maxBytes)}).`,
      );
      return;
    }
    if (receiving >= opts.maxConcurrent) {
      res.setHeader('Connection', 'close');
      res.setHeader('Retry-After', '1');
      sendError(
        res,
        429,
        'rate-limited',
        `Firmdrop is already receiving ${receiving} files; "${fileName}" was not taken. Drop it again once those are added.`,
      );
      return;
    }
    receiving++;
    promised += declared;
    try {
      await receive(req, res, fileName, declared);
    } finally {
      receiving--;
      promised -= declared;
    }
  };

  async function receive(
    req: IncomingMessage,
    res: ServerResponse,
    fileName: string,
    declared: number,
  ): Promise<void> {
    await mkdir(opts.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const free = await freeBytes(opts.dir);
    // `promised` counts this file too; what the others have written already is gone from `free`,
    // so this errs on the safe side.
    if (free - promised < opts.reserveBytes) {
      res.setHeader('Connection', 'close');
      sendError(
        res,
        507,
        'storage',
        `There is not enough free disk space for a copy of "${fileName}" (${formatBytes(declared)}; ${formatBytes(Math.max(0, free))} free in ${opts.dir}). Free some space, then drop it again.`,
      );
      return;
    }
    const ref = `stg_${randomBytes(16).toString('hex')}`;
    const partPath = join(opts.dir, `${ref}.part`);
    const counter = byteCounter(Math.min(declared, opts.maxBytes));
    const out = createWriteStream(partPath, { flags: 'wx', mode: PRIVATE_FILE_MODE });
    try {
      await pipeline(req, counter.stream, out);
    } catch (err) {
      // Wait for the descriptor to close first, or a late open could recreate the file after rm.
      if (!out.closed) await new Promise<void>((done) => out.once('close', () => done()));
      await rm(partPath, { force: true });
      if (err instanceof OverDeclaredError) {
        res.setHeader('Connection', 'close');
        sendError(
          res,
          413,
          'file-changed',
          `"${fileName}" sent more than the ${formatBytes(declared)} it announced (it may have changed while being read): drop it again.`,
        );
      } else if (!res.destroyed) {
        sendError(
          res,
          400,
          'file-unreadable',
          `Copying "${fileName}" stopped part-way: drop it again.`,
        );
      }
      return;
    }
    if (counter.count() !== declared) {
      await rm(partPath, { force: true });
      sendError(
        res,
        400,
        'file-changed',
        `"${fileName}" changed while it was being read: drop it again.`,
      );
      return;
    }
    try {
      await mkdir(join(opts.dir, ref), { mode: PRIVATE_DIR_MODE });
      await rename(partPath, join(opts.dir, ref, fileName));
    } catch (err) {
      await rm(partPath, { force: true });
      await rm(join(opts.dir, ref), { recursive: true, force: true });
      throw err;
    }
    const body: Result<StagedFile> = { ok: true, value: { ref, fileName, size: declared } };
    sendJson(res, 200, body);
  }
}
