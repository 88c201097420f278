import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxRequestRecord } from '../../../src-sandbox';
import { MiB } from '../../../src-main/core/limits';
import { engineHarness, serverState, type EngineHarness } from '../../helpers/engine-harness';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const IMAGE_READ = (id: string) => (r: SandboxRequestRecord) =>
  r.method === 'GET' && r.path === `/v3/firmware-images/${id}/`;
const JOB_DELETE = (r: SandboxRequestRecord) =>
  r.method === 'DELETE' && r.path.startsWith('/v3/firmware-images/upload-jobs/');
const JOB_READ = (r: SandboxRequestRecord) =>
  r.method === 'GET' && /^\/v3\/firmware-images\/upload-jobs\/[^/]+\/?$/.test(r.path);
const SAME_CHECKSUM = (r: SandboxRequestRecord) =>
  r.method === 'GET' && 'datafile_checksum__eq' in r.query;
const CHUNK_POST = (r: SandboxRequestRecord) =>
  r.method === 'POST' && /\/upload-jobs\/[^/]+\/chunks\/?$/.test(r.path);
const SMALL_POST = (r: SandboxRequestRecord) =>
  r.method === 'POST' && r.path === '/v3/firmware-images/';

function one(seen: SandboxRequestRecord[], test: (r: SandboxRequestRecord) => boolean) {
  const found = seen.filter(test);
  expect(found).toHaveLength(1);
  return found[0] as SandboxRequestRecord;
}

/** Each arrived before the other was answered. */
function together(a: SandboxRequestRecord, b: SandboxRequestRecord): boolean {
  return a.arrived < (b.answered ?? Infinity) && b.arrived < (a.answered ?? Infinity);
}

async function uploadJob(h: EngineHarness, name: string) {
  const { path } = h.file(`${name}.bin`, 6 * MiB);
  const u = await h.add({ filePath: path, name });
  expect(u.path).toBe('job');
  h.engine.enqueue(u.id);
  await h.engine.whenIdle();
  return h.store.uploads.getUpload(u.id)!;
}

describe('after the last chunk', () => {
  it('looks for duplicates beside the completing POST, then reads the image and deletes the job together', async () => {
    h = await engineHarness();
    // Every answer is held 150 ms, so requests sent one after another cannot overlap.
    h.sandbox.faults.setLatency(150);
    h.sandbox.clearRequests();
    const done = await uploadJob(h, 'fw-parallel');
    expect(done).toMatchObject({ state: 'done', verified: true });
    const seen = h.sandbox.requests();
    const imageRead = one(seen, IMAGE_READ(done.imageId!));
    const jobDelete = one(seen, JOB_DELETE);
    const duplicates = one(seen, SAME_CHECKSUM);
    const jobRead = seen.filter(JOB_READ).at(-1)!;
    // The empty chunk that completes the job is the last chunk POST.
    const completing = seen.filter(CHUNK_POST).at(-1)!;
    expect(together(imageRead, jobDelete)).toBe(true);
    expect(together(duplicates, completing)).toBe(true);
    expect(jobRead.arrived).toBeGreaterThan(completing.answered!);
    expect(await serverState(h.dm)).toEqual({ images: 1, openJobs: 0 });
  });

  it('a job that cannot be deleted is a notice; the upload still succeeds, verified', async () => {
    h = await engineHarness();
    h.sandbox.faults.inject({ kind: 'status', status: 500, method: 'DELETE', times: 20 });
    const done = await uploadJob(h, 'fw-keepjob');
    expect(done).toMatchObject({ state: 'done', verified: true, errorMessage: null });
    expect(
      h.notices.some((n) => n.includes('could not be deleted') && n.includes('the image is fine')),
    ).toBe(true);
  });

  it('an image that cannot be read fails the upload with that error, though the job was deleted', async () => {
    h = await engineHarness();
    h.sandbox.faults.inject({
      kind: 'status',
      status: 403,
      method: 'GET',
      path: '^/v3/firmware-images/[0-9a-f]+/$',
      times: 1,
    });
    const done = await uploadJob(h, 'fw-noread');
    expect(done.state).toBe('failed');
    expect(done.verified).toBe(false);
    expect(done.errorCode).toBe('forbidden');
    expect((await h.dm.listUploadJobs({ limit: 10 })).data).toHaveLength(0);
  });

  it('a lost image read after the job was deleted resumes at the image: no restart, one image', async () => {
    h = await engineHarness();
    // More 503s than the client retries: the attempt fails, and the next one must find the image
    // by the id the journal kept, since the job is gone by then.
    h.sandbox.faults.inject({
      kind: 'status',
      status: 503,
      method: 'GET',
      path: '^/v3/firmware-images/[0-9a-f]+/$',
      times: 4,
    });
    const done = await uploadJob(h, 'fw-lostread');
    expect(done).toMatchObject({ state: 'done', verified: true, errorMessage: null });
    expect(h.notices.filter((n) => n.includes('clean one'))).toEqual([]);
    expect(await serverState(h.dm)).toEqual({ images: 1, openJobs: 0 });
    expect(h.sandbox.stats().chunksAppended).toBe(2);
  });

  it('a small file: the duplicate look-up goes out beside the POST, and a duplicate is noted', async () => {
    h = await engineHarness();
    const { path, data } = h.file('first.bin', 200 * 1024);
    const first = await h.add({ filePath: path, name: 'fw-first' });
    h.engine.enqueue(first.id);
    await h.engine.whenIdle();
    const copy = h.file('copy.bin', 0);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(copy.path, data);
    h.sandbox.faults.setLatency(150);
    h.sandbox.clearRequests();
    const second = await h.add({ filePath: copy.path, name: 'fw-copy' });
    h.engine.enqueue(second.id);
    await h.engine.whenIdle();
    expect(h.store.uploads.getUpload(second.id)).toMatchObject({ state: 'done', verified: true });
    const seen = h.sandbox.requests();
    expect(together(one(seen, SMALL_POST), one(seen, SAME_CHECKSUM))).toBe(true);
    expect(h.notices.some((n) => n.includes('"fw-copy" has the same SHA-256 as "fw-first"'))).toBe(
      true,
    );
  });
});
