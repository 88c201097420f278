import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { meteredStream } from '../../../src-main/dm/body';
import { multipartBody, planMultipart, type MultipartFile } from '../../../src-main/dm/multipart';
import { caught } from './catch';

const dir = mkdtempSync(join(tmpdir(), 'firmdrop-multipart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer, fileName = name): MultipartFile {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, size: bytes.byteLength, fileName };
}

async function produce(plan: ReturnType<typeof planMultipart>, f: MultipartFile): Promise<Buffer> {
  const { stream } = meteredStream(multipartBody(plan, f));
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(parts);
}

const fields = (name: string, description: string) =>
  [
    ['name', name],
    ['description', description],
    ['datafile_encryption', 'false'],
  ] as const;

describe('streamed multipart body', () => {
  const pattern = Buffer.alloc(300_001, 0);
  for (let i = 0; i < pattern.length; i++) pattern[i] = (i * 31 + 7) & 0xff;

  it.each([
    ['empty file', Buffer.alloc(0), 'ascii name', 'plain'],
    ['1 byte', Buffer.from([0x2d]), 'fw', ''],
    ['300,001 bytes (several read slices)', pattern, 'Ünïcødé 名前 ✓', 'desc\r\nwith a line break'],
    ['bytes that look like a boundary', Buffer.from('\r\n------FirmdropBoundary\r\n--'), 'x', 'y'],
  ])('Content-Length equals the bytes produced: %s', async (label, bytes, name, description) => {
    const f = file(`f-${label.length}.bin`, bytes);
    const plan = planMultipart(fields(name, description), f);
    const body = await produce(plan, f);
    expect(body.byteLength).toBe(plan.length);
    expect(plan.contentType).toMatch(
      /^multipart\/form-data; boundary=----FirmdropBoundary[0-9a-f]{24}$/,
    );

    // A standard parser sees the same fields and the exact file bytes.
    const form = await new Response(new Uint8Array(body), {
      headers: { 'content-type': plan.contentType },
    }).formData();
    expect(form.get('name')).toBe(name);
    expect(form.get('datafile_encryption')).toBe('false');
    const datafile = form.get('datafile');
    expect(datafile).toBeInstanceOf(Blob);
    expect(Buffer.from(await (datafile as Blob).arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('escapes quotes and line breaks in the file name', async () => {
    const f = file('q.bin', Buffer.from('abc'), 'my "fw"\r\n.bin');
    const plan = planMultipart(fields('n', 'd'), f);
    expect(plan.preamble.toString()).toContain('filename="my %22fw%22%0D%0A.bin"');
    const body = await produce(plan, f);
    expect(body.byteLength).toBe(plan.length);
  });

  it('fails with file-changed when the file shrank after planning', async () => {
    const f = file('shrinks.bin', Buffer.alloc(1000, 1));
    const plan = planMultipart(fields('n', 'd'), f);
    writeFileSync(f.path, Buffer.alloc(10, 1));
    const err = await caught(() => produce(plan, f));
    expect(err.code).toBe('file-changed');
  });

  it('fails with file-missing when the file is gone', async () => {
    const f = file('gone.bin', Buffer.alloc(10, 1));
    const plan = planMultipart(fields('n', 'd'), f);
    rmSync(f.path);
    const err = await caught(() => produce(plan, f));
    expect(err.code).toBe('file-missing');
    expect(err.message).toContain(f.path);
  });
});

describe('metered body', () => {
  it('counts bytes and reports progress up to the total', async () => {
    const seen: number[] = [];
    const { stream, progress } = meteredStream(
      { source: [Buffer.alloc(5), Buffer.alloc(7)], length: 12 },
      (sent, total) => seen.push(sent, total),
    );
    for await (const _ of stream) void _;
    expect(progress).toEqual({ consumed: 12, total: 12 });
    expect(seen).toEqual([5, 12, 12, 12]);
  });

  it('refuses a source longer than announced before passing the excess on', async () => {
    const { stream, progress } = meteredStream({
      source: [Buffer.alloc(5), Buffer.alloc(7)],
      length: 6,
    });
    const err = await caught(async () => {
      for await (const _ of stream) void _;
    });
    expect(err.code).toBe('file-changed');
    expect(progress.consumed).toBe(5);
  });
});
