import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FirmdropError } from '../core/errors';
import type { OutgoingBody } from './body';

/**
 * multipart/form-data streamed from disk: preamble, the file's bytes, epilogue. The exact length
 * is known up front so the request carries Content-Length; fetch + FormData would buffer the whole
 * file (RSS grows with it) and a streamed fetch body would use chunked encoding
 * (see TOOLCHAIN.md, "Streaming uploads").
 */
export interface MultipartFile {
  path: string;
  /** Bytes the file holds now; a file that changes size while read fails the request. */
  size: number;
  /** The name sent in Content-Disposition (the service stores it as the datafile's name). */
  fileName: string;
}

export interface MultipartPlan {
  contentType: string;
  /** Exact body length: preamble + file + epilogue. */
  length: number;
  preamble: Buffer;
  epilogue: Buffer;
}

// The HTML standard's escaping for names in Content-Disposition.
function escapeQuoted(value: string): string {
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

export function randomBoundary(): string {
  return `----FirmdropBoundary${randomBytes(12).toString('hex')}`;
}

export function planMultipart(
  fields: ReadonlyArray<readonly [string, string]>,
  file: MultipartFile,
  fileField = 'datafile',
  boundary = randomBoundary(),
): MultipartPlan {
  let head = '';
  for (const [name, value] of fields) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(name)}"\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="${escapeQuoted(fileField)}"; ` +
    `filename="${escapeQuoted(file.fileName)}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const preamble = Buffer.from(head, 'utf8');
  const epilogue = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: preamble.byteLength + file.size + epilogue.byteLength,
    preamble,
    epilogue,
  };
}

function fileError(err: unknown, path: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') {
    return new FirmdropError(
      'file-missing',
      `The file ${path} no longer exists. Choose it again.`,
      { cause: err },
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'EIO') {
    return new FirmdropError(
      'file-unreadable',
      `The file ${path} cannot be read (${String(code)}). Check its permissions, or copy it to a local disk.`,
      { cause: err },
    );
  }
  return err;
}

/** The body for `plan`: reads the file in 256 KiB pieces, never holding more than that. */
export function multipartBody(plan: MultipartPlan, file: MultipartFile): OutgoingBody {
  async function* source(): AsyncGenerator<Uint8Array> {
    yield plan.preamble;
    if (file.size > 0) {
      const stream = createReadStream(file.path, {
        start: 0,
        end: file.size - 1,
        highWaterMark: 256 * 1024,
      });
      try {
        for await (const chunk of stream) yield chunk as Buffer;
      } catch (err) {
        throw fileError(err, file.path);
      } finally {
        stream.destroy();
      }
    }
    yield plan.epilogue;
  }
  return { source: source(), length: plan.length };
}
