import { afterEach, describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import {
  download,
  engineHarness,
  serverState,
  type EngineHarness,
} from '../../helpers/engine-harness';
import { FakeClock } from '../../helpers/fake-clock';

/**
 * The two waits for the service itself, on the real engine, journal and sandbox in virtual time:
 * a job that does not say it is complete after its completing chunk, and a completed job that
 * names no firmware image. The sandbox's `job-lag` fault makes the job's reads lag.
 */
let h: EngineHarness | undefined;
let clock: FakeClock;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(): Promise<EngineHarness> {
  clock = new FakeClock();
  h = await engineHarness({ clock });
  return h;
}

/** The waits after n looks that found the job still settling: 0.5 s more each time, up to 5 s. */
const SCHEDULE = [500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 5000];
const polls = (n: number) => SCHEDULE.slice(0, n);
/** The default limit, written out: a changed limit must fail here, not follow along. */
const MAX_POLLS = 12;

async function uploadOf(h: EngineHarness, name: string) {
  const file = h.file(`${name}.bin`, 6 * MiB);
  const u = await h.add({ filePath: file.path, name });
  return { ...file, id: u.id };
}

describe('a job still completing', () => {
  it('is looked at again on the poll schedule, then finishes verified once it completes', async () => {
    const h = await start();
    const up = await uploadOf(h, 'fw-completing');
    // The next three reads of the job say it is not completed yet.
    h.sandbox.faults.inject({ kind: 'job-lag', lag: 'completion', times: 3 });
    h.engine.enqueue(up.id);
    await h.engine.whenIdle();
    const done = h.store.uploads.getUpload(up.id)!;
    expect({ state: done.state, error: done.errorMessage }).toEqual({ state: 'done', error: null });
    expect(done.verified).toBe(true);
    expect((await download(done.datafileUrl!)).equals(up.data)).toBe(true);
    expect(clock.sleeps).toEqual(polls(3));
    expect(h.sandbox.faults.pending()).toBe(0);
    // Looking again never sends anything again.
    const stats = h.sandbox.stats();
    expect([stats.chunksAppended, stats.jobsCompleted, stats.chunkPosts]).toEqual([2, 1, 3]);
    expect(await serverState(h.dm)).toEqual({ images: 1, openJobs: 0 });
  });

  it('gives up (polls) after maxPolls looks with a clear message; Retry later finishes it', async () => {
    const h = await start();
    const up = await uploadOf(h, 'fw-never-completes');
    h.sandbox.faults.inject({ kind: 'job-lag', lag: 'completion', times: 1000 });
    h.engine.enqueue(up.id);
    await h.engine.whenIdle();
    const failed = h.store.uploads.getUpload(up.id)!;
    expect(failed).toMatchObject({ state: 'failed', errorCode: 'server-error', attempts: 0 });
    expect(failed.errorMessage).toMatch(
      new RegExp(
        `still completing upload job ${failed.jobId}\\. Firmdrop asked ${MAX_POLLS} times and stopped; ` +
          'trying again later goes on from the completed job\\.$',
      ),
    );
    expect(clock.sleeps).toEqual(polls(MAX_POLLS - 1));

    h.sandbox.faults.clear(); // the service has settled
    await h.engine.retry(up.id);
    await h.engine.whenIdle();
    const done = h.store.uploads.getUpload(up.id)!;
    expect(done).toMatchObject({ state: 'done', verified: true, errorMessage: null });
    expect((await download(done.datafileUrl!)).equals(up.data)).toBe(true);
    const stats = h.sandbox.stats();
    expect([stats.chunksAppended, stats.jobsCompleted]).toEqual([2, 1]);
    expect(await serverState(h.dm)).toEqual({ images: 1, openJobs: 0 });
  });
});

describe('a completed job that names no image', () => {
  it('is looked at again, gives up (polls), and Retry finishes it once the id appears', async () => {
    const h = await start();
    const up = await uploadOf(h, 'fw-no-image');
    h.sandbox.faults.inject({ kind: 'job-lag', lag: 'image', times: 1000 });
    h.engine.enqueue(up.id);
    await h.engine.whenIdle();
    const failed = h.store.uploads.getUpload(up.id)!;
    expect(failed).toMatchObject({ state: 'failed', errorCode: 'server-error', imageId: null });
    expect(failed.errorMessage).toMatch(
      new RegExp(
        `job ${failed.jobId} is complete but names no firmware image yet\\. ` +
          `Firmdrop asked ${MAX_POLLS} times and stopped; trying again later`,
      ),
    );
    expect(clock.sleeps).toEqual(polls(MAX_POLLS - 1));
    expect(h.sandbox.stats().jobsCompleted).toBe(1);

    const sleptBefore = clock.sleeps.length;
    h.sandbox.faults.clear(); // the id appears
    await h.engine.retry(up.id);
    await h.engine.whenIdle();
    const done = h.store.uploads.getUpload(up.id)!;
    expect(done).toMatchObject({ state: 'done', verified: true, errorMessage: null });
    expect((await download(done.datafileUrl!)).equals(up.data)).toBe(true);
    expect(clock.sleeps.length).toBe(sleptBefore);
    const stats = h.sandbox.stats();
    expect([stats.chunksAppended, stats.jobsCompleted]).toEqual([2, 1]);
    expect(await serverState(h.dm)).toEqual({ images: 1, openJobs: 0 });
  });

  it('a short lag: the image id appears after a few looks and the upload finishes by itself', async () => {
    const h = await start();
    const up = await uploadOf(h, 'fw-late-image');
    h.sandbox.faults.inject({ kind: 'job-lag', lag: 'image', times: 3 });
    h.engine.enqueue(up.id);
    await h.engine.whenIdle();
    expect(h.store.uploads.getUpload(up.id)).toMatchObject({ state: 'done', verified: true });
    // Each look after the first reads the job twice (what it holds, then its image): 3 reads, 2 looks.
    expect(clock.sleeps).toEqual(polls(2));
  });
});
