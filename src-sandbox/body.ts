import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error';
import type { Throttle } from './throttle';

/** The client went away (or was reset) before the whole body arrived. */
export class BodyAborted extends Error {
  override name = 'BodyAborted';
}

export type BodySink = (chunk: Buffer) => void | Promise<void>;

export interface ReadBodyOptions {
  throttle: Throttle;
  /** Refuse with 413 (and close the connection) once more than this many bytes arrived. */
  maxBytes?: number;
  /** Called after each piece has been handed to the sink, with the running total. */
  onProgress?: (total: number) => void;
}

/**
 * Streams a request body into `sink` one piece at a time: the request is paused while a piece
 * is throttled and written, so memory stays bounded by the socket buffers whatever the size.
 * Resolves with the byte count at the end of the body; rejects with BodyAborted when the
 * connection ends first. If the sink fails, the rest of the body is discarded so a keep-alive
 * client still gets its answer (unless the error asks for the connection to be closed).
 */
export function readBody(
  req: IncomingMessage,
  opts: ReadBodyOptions,
  sink: BodySink,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let total = 0;
    let busy = false;
    let ended = false;
    let failure: unknown = null;
    let settled = false;

    // Never settle while a piece is in the sink: a caller that cleans up after a failure must
    // not race a write still in flight.
    const settle = (): void => {
      if (settled || busy) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAbort);
      req.off('error', onAbort);
      req.off('close', onClose);
      if (failure === null) {
        resolve(total);
        return;
      }
      if (!(failure instanceof ApiError && failure.closeConnection)) req.resume();
      reject(failure);
    };
    const fail = (err: unknown): void => {
      failure ??= err;
      settle();
    };
    const onData = (chunk: Buffer): void => {
      req.pause();
      busy = true;
      handle(chunk).then(
        () => {
          busy = false;
          if (ended || failure !== null) settle();
          else req.resume();
        },
        (err: unknown) => {
          busy = false;
          fail(err);
        },
      );
    };
    const handle = async (chunk: Buffer): Promise<void> => {
      total += chunk.length;
      if (opts.maxBytes !== undefined && total > opts.maxBytes) throw tooLarge(opts.maxBytes);
      await opts.throttle.take(chunk.length);
      if (failure !== null) return;
      await sink(chunk);
      opts.onProgress?.(total);
    };
    const onEnd = (): void => {
      ended = true;
      settle();
    };
    const onAbort = (): void =>
      fail(new BodyAborted('the connection closed before the whole body arrived'));
    const onClose = (): void => {
      if (!ended) onAbort();
    };

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAbort);
    req.on('error', onAbort);
    req.on('close', onClose);
    if (req.readableEnded) onEnd();
    else if (req.destroyed) onAbort(); // e.g. it waited for a lock while the sandbox closed
  });
}

export const MAX_REQUEST_BYTES = 100 * 1024 * 1024;

export function tooLarge(limit: number): ApiError {
  const hint =
    limit === MAX_REQUEST_BYTES
      ? ' (100 MiB). Send larger images in chunks of at most 100 MiB through an upload job.'
      : '.';
  return new ApiError(413, `The request body is larger than ${limit} bytes${hint}`, {
    closeConnection: true,
  });
}

/** Reads a small body (JSON, admin calls) into memory, refusing anything over `limit`. */
export async function readSmallBody(
  req: IncomingMessage,
  throttle: Throttle,
  limit = 64 * 1024,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  await readBody(req, { throttle, maxBytes: limit }, (chunk) => {
    parts.push(chunk);
  });
  return Buffer.concat(parts);
}

/** The gateway's 413, decided from Content-Length before a byte of the body is read. */
export function refuseDeclaredOversize(req: IncomingMessage, limit = MAX_REQUEST_BYTES): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
}
