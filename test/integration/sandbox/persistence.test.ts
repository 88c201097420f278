import { appendFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src-sandbox';
import {
  api,
  createJob,
  http,
  MiB,
  postChunk,
  postImage,
  randomData,
  sha256hex,
} from '../../helpers/sandbox-client';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'firmdrop-sandbox-test-'));
  dirs.push(dir);
  return dir;
}

describe('persistence', () => {
  it('keeps images, jobs, chunks and account ids across a restart with the same data directory', async () => {
    const dataDir = await tempDir();
    const accounts = [{ key: 'k', tier: '1' as const }];
    const first = await startSandbox({ dataDir, accounts });
    const data = randomData(5 * MiB);
    const image = (
      await postImage(first.url, 'k', { data: Buffer.from('persisted'), name: 'kept' })
    ).json;
    const job = await createJob(first.url, 'k', { name: 'resumable' });
    await postChunk(first.url, 'k', job.id, data);
    const accountId = first.accounts[0]?.id;
    await first.close();
    expect((await stat(dataDir)).isDirectory()).toBe(true); // a given directory is never removed

    const second = await startSandbox({ dataDir, accounts });
    try {
      expect(second.accounts[0]?.id).toBe(accountId);
      const got = (await api(second.url, 'k', 'GET', `/v3/firmware-images/${image.id}/`)).json;
      expect(got).toMatchObject({
        id: image.id,
        name: 'kept',
        datafile_checksum: image.datafile_checksum,
      });
      // The datafile URL follows the new port.
      expect(got.datafile.startsWith(second.url)).toBe(true);
      expect((await http(got.datafile)).body.toString()).toBe('persisted');
      const chunks = (
        await api(second.url, 'k', 'GET', `/v3/firmware-images/upload-jobs/${job.id}/chunks`)
      ).json;
      expect(chunks.data).toMatchObject([{ id: 1, length: data.length }]);
      // The upload resumes where it stopped.
      const tail = randomData(1000);
      expect((await postChunk(second.url, 'k', job.id, tail)).json.id).toBe(2);
      expect((await postChunk(second.url, 'k', job.id, Buffer.alloc(0))).status).toBe(201);
      const done = (await api(second.url, 'k', 'GET', `/v3/firmware-images/upload-jobs/${job.id}`))
        .json;
      const made = (
        await api(second.url, 'k', 'GET', `/v3/firmware-images/${done.firmware_image_id}/`)
      ).json;
      expect(made.datafile_checksum).toBe(sha256hex(Buffer.concat([data, tail])));
      expect(
        (await postImage(second.url, 'k', { data: Buffer.from('x'), name: 'kept' })).status,
      ).toBe(409);
    } finally {
      await second.close();
    }
  });

  it('reuses the saved accounts when none are given', async () => {
    const dataDir = await tempDir();
    const first = await startSandbox({ dataDir });
    const [account] = first.accounts;
    await first.close();
    const second = await startSandbox({ dataDir });
    try {
      expect(second.accounts).toEqual([account]);
      expect((await api(second.url, account?.key ?? '', 'GET', '/v3/accounts/me')).status).toBe(
        200,
      );
    } finally {
      await second.close();
    }
  });

  it('drops a chunk that was being written when the sandbox closed or died', async () => {
    const dataDir = await tempDir();
    const sb = await startSandbox({ dataDir, accounts: [{ key: 'k', tier: '1' }] });
    const job = await createJob(sb.url, 'k', { name: 'interrupted' });
    await postChunk(sb.url, 'k', job.id, randomData(1000));
    const data = randomData(3 * MiB);
    const before = sb.stats().bytesReceived;
    const cut = postChunk(sb.url, 'k', job.id, data, {
      write: (req) => req.write(data.subarray(0, MiB)),
    }).catch((e: unknown) => e);
    // Close once the first MiB of the chunk is written in place: mid-chunk, for certain.
    await sb.when('bytesReceived', before + MiB);
    const bin = join(dataDir, 'jobs', `${job.id}.bin`);
    expect((await stat(bin)).size).toBe(1000 + MiB);
    await sb.close();
    expect(await cut).toBeInstanceOf(Error);
    expect((await stat(bin)).size).toBe(1000);
    // As if the process had died mid-write: bytes past the last committed chunk.
    await appendFile(bin, randomData(4321));
    const again = await startSandbox({ dataDir, accounts: [{ key: 'k', tier: '1' }] });
    try {
      expect((await stat(bin)).size).toBe(1000);
      const chunks = (
        await api(again.url, 'k', 'GET', `/v3/firmware-images/upload-jobs/${job.id}/chunks`)
      ).json;
      expect(chunks.data.map((c: { length: number }) => c.length)).toEqual([1000]);
    } finally {
      await again.close();
    }
  });

  it('removes its temporary data directory on close when none was given', async () => {
    const sb = await startSandbox();
    const dir = sb.dataDir;
    expect((await readdir(dir)).sort()).toEqual(['accounts.json', 'images', 'jobs', 'tmp']);
    await sb.close();
    await expect(stat(dir)).rejects.toThrow();
    await sb.close(); // idempotent
  });
});
