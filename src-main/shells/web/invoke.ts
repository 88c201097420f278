import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Channel, FirmdropApi, Result } from '../../app/contract';
import { dispatch, isChannel } from '../../app/input-guards';
import { BodyTooLargeError, readSmallBody, sendError, sendJson } from './http-util';
import { discardStagedRef, resolveStagedRef } from './staging';

export interface InvokeOptions {
  api: FirmdropApi;
  stagingDir: string;
  maxJsonBytes: number;
  /** Where unexpected failures go in full; the browser only ever sees a short message. */
  log: (message: string, err: unknown) => void;
}

/**
 * A browser may only upload what it staged through this shell. Without this check a page holding
 * the token could name any path on the machine as a "ref" and have it sent to the cloud.
 */
function unstagedRef(channel: Channel, args: unknown[], stagingDir: string): string | null {
  if (channel !== 'uploads:add') return null;
  const uploads = (args[0] as { uploads?: unknown } | undefined)?.uploads;
  if (!Array.isArray(uploads)) return null; // the service's own validation answers this one
  for (const upload of uploads) {
    const ref = (upload as { file?: { ref?: unknown } } | null)?.file?.ref;
    if (typeof ref !== 'string' || resolveStagedRef(stagingDir, ref) === null) {
      return typeof ref === 'string' ? ref : '(none)';
    }
  }
  return null;
}

/** The refs an uploads:add batch names (whatever their shape: the guards judge that). */
function refsOf(channel: Channel, args: unknown[]): string[] {
  if (channel !== 'uploads:add') return [];
  const uploads = (args[0] as { uploads?: unknown } | undefined)?.uploads;
  if (!Array.isArray(uploads)) return [];
  return uploads.flatMap((upload) => {
    const ref = (upload as { file?: { ref?: unknown } } | null)?.file?.ref;
    return typeof ref === 'string' ? [ref] : [];
  });
}

/**
 * A refused batch leaves nothing journaled, so nothing will ever use its staged copies (firmware
 * images, up to gigabytes each): they go at once. The page stages a draft's file again if it is
 * started again.
 */
async function discardBatch(channel: Channel, args: unknown[], stagingDir: string): Promise<void> {
  await Promise.all(
    refsOf(channel, args).map((ref) => discardStagedRef(stagingDir, ref).catch(() => undefined)),
  );
}

function isResult(value: unknown): value is Result<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { ok: unknown }).ok === 'boolean'
  );
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? '').slice(0, 200);
}

/** POST /api/invoke/<channel>, body: a JSON array of the channel's arguments (zero or one). */
export async function handleInvoke(
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  opts: InvokeOptions,
): Promise<void> {
  if (!isChannel(name)) {
    sendError(res, 404, 'not-found', `There is no command "${name.slice(0, 80)}".`);
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendError(res, 405, 'invalid-input', 'Commands are sent with POST.');
    return;
  }
  // Requiring JSON also keeps out the "simple" cross-site form posts a browser sends unasked.
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
    sendError(res, 415, 'invalid-input', 'Commands are sent as application/json.');
    return;
  }
  let args: unknown;
  try {
    const body = await readSmallBody(req, opts.maxJsonBytes);
    args = body.length === 0 ? [] : JSON.parse(body.toString('utf8'));
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      res.setHeader('Connection', 'close');
      sendError(res, 413, 'too-large', `The command is larger than ${err.limit} bytes.`);
    } else {
      sendError(res, 400, 'invalid-input', 'The command body is not valid JSON.');
    }
    return;
  }
  if (!Array.isArray(args) || args.length > 1) {
    sendError(
      res,
      400,
      'invalid-input',
      'The command body must be a JSON array of at most one argument.',
    );
    return;
  }
  const stray = unstagedRef(name, args, opts.stagingDir);
  if (stray !== null) {
    await discardBatch(name, args, opts.stagingDir);
    sendError(res, 400, 'file-missing', 'That file is no longer staged: add it again.', 'file');
    return;
  }
  try {
    // The same input guards as every other shell, in the same (main) process.
    const result: unknown = await dispatch(opts.api, name, args[0]);
    if (isResult(result) && !result.ok && result.error.code === 'internal') {
      opts.log(`web shell: ${name} failed inside Firmdrop`, result.error.message);
    }
    if (!isResult(result)) throw new Error(`${name} returned something that is not a Result`);
    if (!result.ok) await discardBatch(name, args, opts.stagingDir);
    sendJson(res, 200, result);
  } catch (err) {
    opts.log(`web shell: ${name} threw`, err);
    sendError(
      res,
      500,
      'internal',
      `Firmdrop hit an unexpected problem (${name}: ${firstLine(err)}). Try again; if it keeps happening, restart Firmdrop.`,
    );
  }
}
