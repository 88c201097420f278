/**
 * A small streaming multipart/form-data parser (RFC 7578). It holds at most one delimiter's
 * worth of bytes between writes, so a file part streams straight to its handler whatever its
 * size; only part headers are buffered (and capped).
 */

export interface PartHeaders {
  /** The form field name from Content-Disposition. */
  name: string;
  /** The file name from Content-Disposition without any directory part, or null for a plain field. */
  filename: string | null;
  contentType: string | null;
}

export interface PartHandler {
  data(chunk: Buffer): void | Promise<void>;
  end(): void | Promise<void>;
}

export class MultipartError extends Error {
  override name = 'MultipartError';
}

const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

type State = 'preamble' | 'delimiter' | 'headers' | 'body' | 'done';

export class MultipartParser {
  private readonly delimiter: Buffer;
  // The body is parsed as if it began with CRLF, so the first boundary matches the same
  // "CRLF--boundary" delimiter as every later one.
  private buf: Buffer = Buffer.from(CRLF);
  private state: State = 'preamble';
  private part: PartHandler | null = null;

  constructor(
    boundary: string,
    private readonly onPart: (headers: PartHeaders) => PartHandler | Promise<PartHandler>,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.state === 'done') return; // the epilogue is ignored
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    while (await this.step()) {
      /* each step consumes what it can */
    }
  }

  async end(): Promise<void> {
    if (this.state !== 'done') {
      throw new MultipartError('the multipart body ended before its closing boundary');
    }
  }

  /** Advances by one token; false when more input is needed. */
  private async step(): Promise<boolean> {
    switch (this.state) {
      case 'preamble':
      case 'body':
        return this.scanForDelimiter();
      case 'delimiter':
        return this.afterDelimiter();
      case 'headers':
        return this.readHeaders();
      case 'done':
        return false;
    }
  }

  private async scanForDelimiter(): Promise<boolean> {
    const at = this.buf.indexOf(this.delimiter);
    if (at >= 0) {
      if (this.part) {
        if (at > 0) await this.part.data(this.buf.subarray(0, at));
        const part = this.part;
        this.part = null;
        await part.end();
      }
      this.buf = this.buf.subarray(at + this.delimiter.length);
      this.state = 'delimiter';
      return true;
    }
    // Keep a tail that could be the start of a delimiter split across writes.
    const safe = this.buf.length - (this.delimiter.length - 1);
    if (safe > 0) {
      if (this.part) await this.part.data(this.buf.subarray(0, safe));
      this.buf = this.buf.subarray(safe);
    }
    return false;
  }

  private afterDelimiter(): boolean {
    if (this.buf.length < 2) return false;
    if (this.buf[0] === 0x2d && this.buf[1] === 0x2d) {
      this.state = 'done';
      this.buf = Buffer.alloc(0);
      return false;
    }
    // Transport padding (spaces, tabs) may follow a boundary before its CRLF.
    let i = 0;
    while (i < this.buf.length && (this.buf[i] === 0x20 || this.buf[i] === 0x09)) i++;
    if (this.buf.length - i < 2) {
      if (i > 256) throw new MultipartError('a multipart boundary line is malformed');
      return false;
    }
    if (this.buf[i] !== 0x0d || this.buf[i + 1] !== 0x0a) {
      throw new MultipartError('a multipart boundary is not followed by CRLF');
    }
    // Keep the CRLF: an empty header block then ends at the first CRLFCRLF.
    this.buf = this.buf.subarray(i);
    this.state = 'headers';
    return true;
  }

  private async readHeaders(): Promise<boolean> {
    const end = this.buf.indexOf(HEADER_END);
    if (end < 0) {
      if (this.buf.length > MAX_HEADER_BYTES) {
        throw new MultipartError('a multipart part has more than 16 KiB of headers');
      }
      return false;
    }
    const text = this.buf.subarray(CRLF.length, Math.max(end, CRLF.length)).toString('utf8');
    this.buf = this.buf.subarray(end + HEADER_END.length);
    this.part = await this.onPart(parsePartHeaders(text));
    this.state = 'body';
    return true;
  }
}

export function parsePartHeaders(text: string): PartHeaders {
  let disposition: string | null = null;
  let contentType: string | null = null;
  for (const line of text.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError(`a multipart header line is malformed: "${line}"`);
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-disposition') disposition = value;
    else if (key === 'content-type') contentType = value;
  }
  if (!disposition || !/^form-data\b/i.test(disposition)) {
    throw new MultipartError('a multipart part has no "Content-Disposition: form-data" header');
  }
  const params = headerParams(disposition);
  const name = params.get('name');
  if (name === undefined) throw new MultipartError('a multipart part has no field name');
  const filename = params.get('filename');
  return { name, filename: filename === undefined ? null : baseName(filename), contentType };
}

/** Parameters of a header value such as `form-data; name="a"; filename="b.bin"`. */
export function headerParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (const m of value.matchAll(re)) {
    const key = (m[1] ?? '').toLowerCase();
    // Browsers send backslashes raw (Windows paths) and only a quote escaped, if at all.
    const raw = m[2] !== undefined ? m[2].replace(/\\"/g, '"') : (m[3] ?? '').trim();
    if (!params.has(key)) params.set(key, raw);
  }
  return params;
}

// Old browsers send "C:\fakepath\fw.bin"; only the last segment is a file name.
function baseName(filename: string): string {
  const parts = filename.split(/[\\/]/);
  return parts[parts.length - 1] ?? '';
}

/** The boundary of a multipart/form-data Content-Type, or null if it is not one. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\b/i.test(contentType.trim())) return null;
  const boundary = headerParams(contentType).get('boundary');
  return boundary && boundary.length <= 70 ? boundary : null;
}
