import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src-sandbox';
import type { FirmwareImage, UploadJob } from '../../../src-main/dm/schemas';
import {
  closeClients,
  dmFor,
  downloadDigest,
  FREE_KEY,
  md5Base64,
  md5Hex,
  sandbox,
  writeRandomFile,
} from './sandbox-fixture';

const MiB = 1024 * 1024;
let sb: Sandbox;
const dir = mkdtempSync(join(tmpdir(), 'firmdrop-dm-sandbox-'));

beforeAll(async () => {
  sb = await sandbox();
});
afterEach(closeClients);
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('account', () => {
  it('reads each key’s account and tier', async () => {
    expect((await dmFor(sb).getMyAccount()).tier).toBe('1');
    expect((await dmFor(sb, { apiKey: FREE_KEY }).getMyAccount()).tier).toBe('0');
  });
});

describe('upload job lifecycle', () => {
  it('create, get, update, list by name, delete, then 404', async () => {
    const dm = dmFor(sb);
    const job = await dm.createUploadJob({
      name: 'lifecycle',
      description: 'first',
      encrypt: false,
    });
    expect(job).toMatchObject({
      name: 'lifecycle',
      description: 'first',
      completed: false,
      firmware_image_id: null,
    });
    expect((await dm.getUploadJob(job.id)).id).toBe(job.id);
    const updated = await dm.updateUploadJob(job.id, { description: 'second' });
    expect(updated.description).toBe('second');
    const found = await dm.listUploadJobs({ name__eq: 'lifecycle' });
    expect(found.data.map((j) => j.id)).toEqual([job.id]);
    await dm.deleteUploadJob(job.id);
    const err = await dm.getUploadJob(job.id).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not-found', status: 404 });
  });

  it('multi-chunk upload: append, list, get, complete, image verified by SHA-256 and download', async () => {
    const dm = dmFor(sb);
    const path = join(dir, 'big.bin');
    const fileSha = writeRandomFile(path, 11 * MiB + 123);
    const bytes = readFileSync(path);
    const parts = [
      bytes.subarray(0, 5 * MiB),
      bytes.subarray(5 * MiB, 10 * MiB),
      bytes.subarray(10 * MiB),
    ];

    const job = await dm.createUploadJob({ name: 'multi-chunk', description: '', encrypt: false });
    const progress: number[] = [];
    for (const [i, part] of parts.entries()) {
      const chunk = await dm.appendChunk(job.id, {
        body: part,
        md5Base64: md5Base64(part),
        onProgress: (sent, total) => i === 0 && progress.push(sent / total),
      });
      expect(chunk).toMatchObject({ id: i + 1, length: part.length });
    }
    expect(progress.at(-1)).toBe(1);

    const listed = await dm.listChunks(job.id, { limit: 1000 });
    expect(listed.data.map((c) => [c.id, c.length])).toEqual(
      parts.map((p, i) => [i + 1, p.length]),
    );
    expect(listed.data.map((c) => c.hash.toLowerCase())).toEqual(parts.map((p) => md5Hex(p)));
    expect((await dm.getChunk(job.id, 2)).length).toBe(5 * MiB);
    expect((await dm.listChunks(job.id, { length__gte: 5 * MiB })).data.map((c) => c.id)).toEqual([
      1, 2,
    ]);

    const last = await dm.completeUploadJob(job.id);
    expect(last.length).toBe(0);
    const done: UploadJob = await dm.getUploadJob(job.id);
    expect(done.completed).toBe(true);
    expect(done.status).toBe('completed');
    expect(done.firmware_image_id).not.toBeNull();

    const image: FirmwareImage = await dm.getImage(done.firmware_image_id ?? '');
    expect(image.datafile_checksum).toBe(fileSha);
    expect(image.datafile_size).toBe(bytes.length);
    const served = await downloadDigest(image.datafile);
    expect(served).toEqual({ status: 200, size: bytes.length, sha256: fileSha });

    const byChecksum = await dm.listImages({ datafile_checksum__eq: fileSha });
    expect(byChecksum.data.map((i) => i.id)).toEqual([image.id]);
  });

  it('a chunk streamed from the file (not a Buffer) goes up the same way', async () => {
    const dm = dmFor(sb);
    const path = join(dir, 'stream.bin');
    const fileSha = writeRandomFile(path, 2 * MiB + 5);
    const bytes = readFileSync(path);
    const job = await dm.createUploadJob({
      name: 'streamed-chunk',
      description: '',
      encrypt: false,
    });
    const { createReadStream } = await import('node:fs');
    await dm.appendChunk(job.id, {
      body: { stream: createReadStream(path), length: statSync(path).size },
      md5Base64: md5Base64(bytes),
    });
    await dm.completeUploadJob(job.id);
    const image = await dm.getImage((await dm.getUploadJob(job.id)).firmware_image_id ?? '');
    expect(image.datafile_checksum).toBe(fileSha);
  });
});

describe('small image (one multipart POST)', () => {
  it('arrives byte-exact, is listed, counted, and deleted', async () => {
    const dm = dmFor(sb);
    const path = join(dir, 'small.bin');
    const fileSha = writeRandomFile(path, 3 * MiB + 17);
    const before = await dm.countImages();
    const image = await dm.createImageSmall({
      name: 'small-ü',
      description: 'multipart',
      encrypt: false,
      file: { path, size: statSync(path).size, fileName: 'small.bin' },
    });
    expect(image).toMatchObject({
      name: 'small-ü',
      description: 'multipart',
      datafile_size: 3 * MiB + 17,
      datafile_checksum: fileSha,
    });
    expect(await downloadDigest(image.datafile)).toEqual({
      status: 200,
      size: 3 * MiB + 17,
      sha256: fileSha,
    });
    expect(await dm.countImages()).toBe(before + 1);
    expect((await dm.listImages({ name__eq: 'small-ü' })).data.map((i) => i.id)).toEqual([
      image.id,
    ]);

    await dm.deleteImage(image.id);
    expect(await dm.getImage(image.id).catch((e: unknown) => e)).toMatchObject({
      code: 'not-found',
    });
    expect(await dm.countImages()).toBe(before);
  });

  it('records the encryption choice', async () => {
    const dm = dmFor(sb);
    const path = join(dir, 'enc.bin');
    writeRandomFile(path, 1000);
    const image = await dm.createImageSmall({
      name: 'encrypted',
      description: '',
      encrypt: true,
      file: { path, size: 1000, fileName: 'enc.bin' },
    });
    expect(image.datafile_encryption).toBe(true);
    await dm.deleteImage(image.id);
  });
});

describe('pagination', () => {
  it('paginate walks every page of jobs, and of chunks', async () => {
    const dm = dmFor(sb);
    const names = ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'];
    const ids: string[] = [];
    for (const name of names)
      ids.push((await dm.createUploadJob({ name, description: '', encrypt: false })).id);

    const seen: string[] = [];
    for await (const job of dm.paginate((q) => dm.listUploadJobs(q), { limit: 2, name__in: names }))
      seen.push(job.id);
    expect(seen).toEqual(ids);

    const desc: string[] = [];
    for await (const job of dm.paginate((q) => dm.listUploadJobs(q), {
      limit: 2,
      order: 'DESC',
      name__in: names,
    }))
      desc.push(job.id);
    expect(desc).toEqual([...ids].reverse());

    const withCount = await dm.listUploadJobs({
      limit: 2,
      include: 'total_count',
      name__in: names,
    });
    expect(withCount).toMatchObject({ has_more: true, total_count: 5 });

    // Chunks page by their integer ids.
    const job = ids[0] ?? '';
    const small = Buffer.alloc(10, 1);
    for (let i = 0; i < 3; i++)
      await dm.appendChunk(job, { body: small, md5Base64: md5Base64(small) });
    const chunkIds: number[] = [];
    for await (const c of dm.paginate((q) => dm.listChunks(job, q), { limit: 2 }))
      chunkIds.push(c.id);
    expect(chunkIds).toEqual([1, 2, 3]);
  });
});
