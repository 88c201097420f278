import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { engineHarness, serverState, type EngineHarness } from '../../helpers/engine-harness';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('upload engine against the sandbox', () => {
  it('uploads a small file by one multipart POST, verified and byte-exact', async () => {
    h = await engineHarness();
    const { path, data } = h.file('small.bin', 300 * 1024);
    const u = await h.add({ filePath: path, name: 'fw-small' });
    expect(u.path).toBe('small');
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    const done = h.store.uploads.getUpload(u.id)!;
    expect(done).toMatchObject({ state: 'done', verified: true, datafileSize: data.length });
    expect(done.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect((await download(done.datafileUrl!)).equals(data)).toBe(true);
    expect(await serverState(h.dm)).toEqual({ images: 1, openJobs: 0 });
  });

  it('uploads a multi-chunk file through an upload job, verified, job deleted afterwards', async () => {
    h = await engineHarness();
    const { path, data } = h.file('big.bin', 12 * MiB + 12345);
    const u = await h.add({ filePath: path, name: 'fw-big', description: 'three chunks' });
    expect(u.path).toBe('job');
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    const done = h.store.uploads.getUpload(u.id)!;
    expect(done.errorMessage).toBeNull();
    expect(done).toMatchObject({ state: 'done', verified: true, bytesAcked: data.length });
    expect(h.store.uploads.listChunks(u.id).map((c) => [c.idx, c.length, c.acked])).toEqual([
      [1, 5 * MiB, true],
      [2, 5 * MiB, true],
      [3, 2 * MiB + 12345, true],
    ]);
    expect((await download(done.datafileUrl!)).equals(data)).toBe(true);
    expect(await serverState(h.dm)).toEqual({ images: 1, openJobs: 0 });
    expect((await h.dm.listUploadJobs({ limit: 10 })).data).toHaveLength(0);
    const phases = [...new Set(h.events.filter((e) => e.upload.id === u.id).map((e) => e.phase))];
    expect(phases).toEqual(['queued', 'checking', 'uploading', 'finalising', 'verifying', 'done']);
  });

  it('refuses a taken name before sending anything, offering a free one', async () => {
    h = await engineHarness();
    const first = h.file('a.bin', 1000);
    const u = await h.add({ filePath: first.path, name: 'fw-1.2' });
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    const second = h.file('b.bin', 1000);
    const err = await h.add({ filePath: second.path, name: 'fw-1.2' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'name-taken', suggestion: 'fw-1.2 (2)' });
    expect((err as Error).message).toContain('Use "fw-1.2 (2)" instead');
  });
});
