import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PartHeaders } from '../../../src-sandbox/multipart';
import {
  MultipartError,
  MultipartParser,
  multipartBoundary,
  parsePartHeaders,
} from '../../../src-sandbox/multipart';

interface Parsed {
  headers: PartHeaders;
  body: Buffer;
}

async function parse(
  body: Buffer,
  boundary: string,
  pieceSizes: (i: number) => number,
): Promise<Parsed[]> {
  const parts: Parsed[] = [];
  const parser = new MultipartParser(boundary, (headers) => {
    const chunks: Buffer[] = [];
    return {
      data: (c) => {
        chunks.push(Buffer.from(c));
      },
      end: () => {
        parts.push({ headers, body: Buffer.concat(chunks) });
      },
    };
  });
  for (let at = 0, i = 0; at < body.length; i++) {
    const n = Math.max(1, pieceSizes(i));
    await parser.write(body.subarray(at, at + n));
    at += n;
  }
  await parser.end();
  return parts;
}

const B = 'AaB03x';
// A file whose bytes include near-misses of the delimiter.
const file = Buffer.concat([
  Buffer.from(`\r\n--${B.slice(0, 4)}\r\n--`),
  randomBytes(300),
  Buffer.from(`\r\n-${B}`),
]);
const body = Buffer.concat([
  Buffer.from(
    `preamble to ignore\r\n--${B}\r\nContent-Disposition: form-data; name="name"\r\n\r\nmy image\r\n`,
  ),
  Buffer.from(`--${B}\r\ncontent-disposition: form-data; name="empty"\r\n\r\n\r\n`),
  Buffer.from(
    `--${B}  \r\nContent-Disposition: form-data; name="datafile"; filename="dir/fw \\"1\\".bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  ),
  file,
  Buffer.from(`\r\n--${B}--\r\nepilogue to ignore`),
]);

describe('MultipartParser', () => {
  it('parses fields and a file whatever the write boundaries', async () => {
    for (const sizes of [
      () => body.length,
      () => 1,
      () => 7,
      (i: number) => (i % 5) + 1,
      () => 64,
    ]) {
      const parts = await parse(body, B, sizes);
      expect(parts.map((p) => p.headers.name)).toEqual(['name', 'empty', 'datafile']);
      expect(parts[0]?.body.toString()).toBe('my image');
      expect(parts[0]?.headers.filename).toBeNull();
      expect(parts[1]?.body.length).toBe(0);
      expect(parts[2]?.headers).toEqual({
        name: 'datafile',
        filename: 'fw "1".bin',
        contentType: 'application/octet-stream',
      });
      expect(parts[2]?.body.equals(file)).toBe(true);
    }
  });

  it('parses a body that starts with the boundary (no preamble)', async () => {
    const plain = Buffer.from(
      `--${B}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${B}--`,
    );
    const parts = await parse(plain, B, () => 3);
    expect(parts.map((p) => [p.headers.name, p.body.toString()])).toEqual([['a', '1']]);
  });

  it('refuses a body without its closing boundary', async () => {
    const cut = body.subarray(0, body.length - 30);
    await expect(parse(cut, B, () => 100)).rejects.toThrow(MultipartError);
  });

  it('refuses parts without a form-data disposition or a name', () => {
    expect(() => parsePartHeaders('Content-Type: text/plain')).toThrow(/Content-Disposition/);
    expect(() => parsePartHeaders('Content-Disposition: form-data; filename="x"')).toThrow(/name/);
    expect(() => parsePartHeaders('garbage')).toThrow(/malformed/);
  });

  it('refuses oversized part headers', async () => {
    const huge = Buffer.from(
      `--${B}\r\nContent-Disposition: form-data; name="a"\r\nX: ${'y'.repeat(20_000)}`,
    );
    await expect(parse(huge, B, () => 1000)).rejects.toThrow(/16 KiB/);
  });

  it('finds the boundary of a multipart/form-data Content-Type only', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b:c"')).toBe('a b:c');
    expect(multipartBoundary('multipart/form-data')).toBeNull();
    expect(multipartBoundary('application/json')).toBeNull();
    expect(multipartBoundary(undefined)).toBeNull();
    expect(multipartBoundary(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeNull();
  });
});
