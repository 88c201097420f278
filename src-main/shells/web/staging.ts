import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join, relative, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Result, StagedFile } from '../../app/contract';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../store/private-files';
import { sendError, sendJson } from './http-util';

export interface StagingOptions {
  /** Where spooled copies of browser files are written; created when missing. */
  dir: string;
  /** Largest file accepted, in bytes. Default 8 GiB. */
  maxBytes?: number;
}

export const DEFAULT_STAGING_MAX_BYTES = 8 * 1024 ** 3;

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

class TooLargeError extends Error {}

function byteCounter(limit: number): { stream: Transform; count: () => number } {
  let count = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      count += chunk.length;
      if (count > limit) done(new TooLargeError());
      else done(null, chunk);
    },
  });
  return { stream, count: () => count };
}

/** A file name as the browser reported it, reduced to a safe display name. */
function cleanFileName(raw: string | null): string | null {
  if (!raw) return null;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we strip
  const name = basename(raw.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '');
  return name.length > 0 && name.length <= 255 ? name : null;
}

/**
 * PUT/POST /api/stage?name=<file name>&size=<bytes>, raw file bytes as the body. The body is
 * streamed to `<dir>/<ref>.part` and moved to `<dir>/<ref>/<name>` only once complete, so a half
 * received file is never resolvable and is removed when the request dies.
 */
export async function handleStage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  opts: Required<StagingOptions>,
): Promise<void> {
  const fileName = cleanFileName(url.searchParams.get('name'));
  const declared = Number(url.searchParams.get('size'));
  if (!fileName) {
    sendError(
      res,
      400,
      'invalid-input',
      'The file has no usable name: rename it and drop it again.',
      'fileName',
    );
    return;
  }
  if (!Number.isSafeInteger(declared) || declared < 0) {
    sendError(res, 400, 'invalid-input', `The size of "${fileName}" was not sent: drop it again.`);
    return;
  }
  if (declared > opts.maxBytes) {
    res.setHeader('Connection', 'close');
    sendError(
      res,
      413,
      'too-large',
      `"${fileName}" is larger than this shell accepts (${opts.maxBytes} bytes).`,
    );
    return;
  }
  await mkdir(opts.dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const ref = `stg_${randomBytes(16).toString('hex')}`;
  const partPath = join(opts.dir, `${ref}.part`);
  const counter = byteCounter(opts.maxBytes);
  const out = createWriteStream(partPath, { flags: 'wx', mode: PRIVATE_FILE_MODE });
  try {
    await pipeline(req, counter.stream, out);
  } catch (err) {
    // Wait for the descriptor to close first, or a late open could recreate the file after rm.
    if (!out.closed) await new Promise<void>((done) => out.once('close', () => done()));
    await rm(partPath, { force: true });
    if (err instanceof TooLargeError) {
      res.setHeader('Connection', 'close');
      sendError(res, 413, 'too-large', `"${fileName}" is larger than this shell accepts.`);
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
  await mkdir(join(opts.dir, ref), { mode: PRIVATE_DIR_MODE });
  await rename(partPath, join(opts.dir, ref, fileName));
  const body: Result<StagedFile> = { ok: true, value: { ref, fileName, size: declared } };
  sendJson(res, 200, body);
}
