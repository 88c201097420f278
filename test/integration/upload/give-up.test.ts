import { afterEach, describe, expect, it } from 'vitest';
import { whenFired } from '../../../src-main/core/event';
import { MiB } from '../../../src-main/core/limits';
import { startSandbox, type FaultSpec } from '../../../src-sandbox';
import type { HostOutage } from '../../../src-main/upload/host-watch';
import type { UploadSnapshot } from '../../../src-main/upload/types';
import {
  download,
  engineHarness,
  serverState,
  whenUpload,
  type EngineHarness,
} from '../../helpers/engine-harness';
import { FakeClock } from '../../helpers/fake-clock';

/**
 * Every way an upload stops trying on its own, on the real engine, journal and sandbox, in
 * virtual time: the engine's sleeps cost nothing and are recorded, so the schedules are exact.
 * (The polling give-ups are in give-up-polls.test.ts.)
 */
let h: EngineHarness | undefined;
let clock: FakeClock;
afterEach(async () => {
  clock?.release();
  await h?.close();
  h = undefined;
});

async function start(opts: Parameters<typeof engineHarness>[0] = {}): Promise<EngineHarness> {
  clock = new FakeClock();
  h = await engineHarness({ clock, random: () => 0, ...opts });
  return h;
}

const JOBS = /^\/v3\/firmware-images\/upload-jobs\/?$/;
const CHUNKS = /\/chunks\/?$/;
const IMAGE = /^\/v3\/firmware-images\/[0-9a-f]{32}\/?$/;

describe('gave up after maxAttempts', () => {
  it.each<{
    label: string;
    spec: FaultSpec;
    /** Arms the fault once this is true (null: before the upload starts). */
    when: ((s: UploadSnapshot) => boolean) | null;
    sleeps: number[];
    posts: number;
  }>([
    {
      label: '503 on every job create',
      spec: { kind: 'status', status: 503, method: 'POST', path: JOBS, times: 99 },
      when: null,
      // backoffMs(1…3) with no jitter (random 0): half of 2, 4, 8 s.
      sleeps: [1000, 2000, 4000],
      posts: 0,
    },
    {
      label: '503 on every chunk POST after the first',
      spec: { kind: 'status', status: 503, method: 'POST', path: CHUNKS, times: 99 },
      when: (s) => s.chunk?.current === 1,
      sleeps: [1000, 2000, 4000],
      posts: 1 + 4,
    },
    {
      label: '429 with Retry-After 7 on every chunk POST after the first',
      spec: {
        kind: 'status',
        status: 429,
        retryAfterSeconds: 7,
        method: 'POST',
        path: CHUNKS,
        times: 99,
      },
      when: (s) => s.chunk?.current === 1,
      sleeps: [7000, 7000, 7000],
      posts: 1 + 4,
    },
  ])('$label: failed after 4 attempts, waits on schedule; Retry finishes it', async (c) => {
    const h = await start({ settings: { maxAttempts: 4 } });
    const { path, data } = h.file('a.bin', 6 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-attempts' });
    const sub = h.engine.onDidChange((s) => {
      if (s.upload.id === u.id && c.when?.(s)) {
        sub.dispose();
        h.sandbox.faults.inject(c.spec);
      }
    });
    if (c.when === null) h.sandbox.faults.inject(c.spec);
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    sub.dispose();

    const failed = h.store.uploads.getUpload(u.id)!;
    expect(failed).toMatchObject({ state: 'failed', attempts: 4 });
    expect(failed.errorMessage).toMatch(
      /(HTTP 503|rate limiting).*\(gave up after 4 attempts\)\.$/,
    );
    // Given up: no promise of a retry by itself is left in the message.
    expect(failed.errorMessage).not.toMatch(/will retry/);
    expect(clock.sleeps).toEqual(c.sleeps);
    expect(h.sandbox.stats().chunkPosts).toBe(c.posts);
    expect(h.sandbox.stats().chunksAppended).toBe(c.posts === 0 ? 0 : 1);

    h.sandbox.faults.clear();
    await h.engine.retry(u.id);
    await h.engine.whenIdle();
    const done = h.store.uploads.getUpload(u.id)!;
    expect(done).toMatchObject({ state: 'done', verified: true, attempts: 0 });
    expect((await download(done.datafileUrl!)).equals(data)).toBe(true);
    // Each data chunk went to the server exactly once, across the give-up and the retry.
    expect(h.sandbox.stats().chunksAppended).toBe(2);
    expect(await serverState(h.dm)).toEqual({ images: 1, openJobs: 0 });
  });
});

describe('final answers', () => {
  it('501 on a chunk POST fails the upload at once: no retry, no wait', async () => {
    const h = await start();
    const { path } = h.file('b.bin', 6 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-501' });
    h.sandbox.faults.inject({
      kind: 'status',
      status: 501,
      method: 'POST',
      path: CHUNKS,
      times: 5,
    });
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    const row = h.store.uploads.getUpload(u.id)!;
    expect(row).toMatchObject({ state: 'failed', errorCode: 'server-error', attempts: 1 });
    expect(row.errorMessage).toMatch(/HTTP 501/);
    expect(row.errorMessage).not.toMatch(/gave up after/);
    expect(clock.sleeps).toEqual([]);
    expect([h.sandbox.faults.pending(), h.sandbox.stats().chunkPosts]).toEqual([4, 1]);
  });

  it('501 on a GET is not retried by the HTTP layer either (a 503 there is, unseen by the run)', async () => {
    const h = await start();
    const first = h.file('c1.bin', 6 * MiB);
    const u = await h.add({ filePath: first.path, name: 'fw-get-501' });
    h.sandbox.faults.inject({ kind: 'status', status: 501, method: 'GET', path: IMAGE, times: 2 });
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    const row = h.store.uploads.getUpload(u.id)!;
    expect(row).toMatchObject({ state: 'failed', errorCode: 'server-error' });
    expect(row.errorMessage).toMatch(/HTTP 501/);
    // One GET was sent and answered 501; the second 501 is still waiting for a request.
    expect(h.sandbox.faults.pending()).toBe(1);
    expect(clock.sleeps).toEqual([]);

    h.sandbox.faults.clear();
    const second = h.file('c2.bin', 6 * MiB);
    const v = await h.add({ filePath: second.path, name: 'fw-get-503' });
    h.sandbox.faults.inject({ kind: 'status', status: 503, method: 'GET', path: IMAGE, times: 2 });
    h.engine.enqueue(v.id);
    await h.engine.whenIdle();
    expect(h.store.uploads.getUpload(v.id)).toMatchObject({ state: 'done', verified: true });
    expect(h.sandbox.faults.pending()).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('the offline give-up', () => {
  it('a host that stays down: parked, probed on schedule, failed after 60 s; another host goes on', async () => {
    const h = await start({ settings: { offlineGiveUpMs: 60_000, filesAtOnce: 1 } });
    const downKey = 'ak_engine_down_0123456789';
    const down = await startSandbox({ accounts: [{ key: downKey, tier: '1' }] });
    const other = h.addAccount(down, downKey);
    const host = new URL(down.url).host;
    const a = h.file('down.bin', 300 * 1024);
    const ua = await h.add({ accountId: other.accountId, filePath: a.path, name: 'fw-down' });
    const b = h.file('up.bin', 6 * MiB);
    const ub = await h.add({ filePath: b.path, name: 'fw-up' });
    await down.close();

    const outages: HostOutage[][] = [];
    h.engine.onReachability((o) => outages.push(o));
    const heard: UploadSnapshot[] = [];
    h.engine.onDidChange((s) => s.upload.id === ua.id && heard.push(s));
    const reported = whenFired(h.engine.onReachability, (o) => o.length > 0);
    const otherDone = whenUpload(h.engine, ub.id, (s) => s.phase === 'done');
    clock.hold(); // the watch's first probe waits until we have looked
    h.engine.enqueue(ua.id);
    h.engine.enqueue(ub.id);
    await reported;
    // One slot (filesAtOnce 1): the other upload runs only because the parked one keeps none.
    await otherDone;
    expect(h.store.uploads.getUpload(ua.id)!.state).toBe('waiting-network');
    expect(h.engine.outages()).toEqual([
      { host, reason: expect.any(String), nextTryAt: clock.now() + 1000, uploadIds: [ua.id] },
    ]);
    expect(h.engine.online).toBe(false);
    // The last word listeners had on it: waiting for its host, with the next look's time.
    expect(heard.at(-1)).toMatchObject({
      phase: 'waiting-network',
      problem: { code: 'network' },
      retryAt: clock.now() + 1000,
    });

    const parkedAt = clock.now();
    clock.release();
    await h.engine.whenIdle();
    const row = h.store.uploads.getUpload(ua.id)!;
    expect(row).toMatchObject({ state: 'failed', errorCode: 'network' });
    expect(row.errorMessage).toMatch(
      /Gave up after waiting 60 s for the network; retry when it is back\.$/,
    );
    // 1 + 2 + 4 + 8 + 15 + 15 + 15 = 60 s of probing, then the deadline has come.
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
    expect(clock.now() - parkedAt).toBe(60_000);
    expect(outages.some((o) => o.some((x) => x.host === host && x.uploadIds[0] === ua.id))).toBe(
      true,
    );
    expect(outages.at(-1)).toEqual([]);
    expect(h.engine.online).toBe(true);
    const done = h.store.uploads.getUpload(ub.id)!;
    expect(done).toMatchObject({ state: 'done', verified: true });
    expect((await download(done.datafileUrl!)).equals(b.data)).toBe(true);
  });
});

describe('the restart limit', () => {
  it('a job deleted on the server after each first chunk: 3 clean restarts, then job-diverged', async () => {
    const h = await start();
    // The second chunk takes ~50 ms to arrive: the DELETE sent after the first always lands first.
    h.sandbox.faults.setBandwidth(20 * MiB);
    const { path } = h.file('r.bin', 6 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-restarts' });
    const deleted = new Set<string>();
    h.engine.onDidChange((s) => {
      const job = s.upload.jobId;
      if (s.upload.id !== u.id || s.bytesAcked !== 5 * MiB || !job || deleted.has(job)) return;
      deleted.add(job);
      void h.dm.deleteUploadJob(job).catch(() => undefined);
    });
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    const row = h.store.uploads.getUpload(u.id)!;
    expect(row).toMatchObject({ state: 'failed', errorCode: 'job-diverged' });
    expect(row.errorMessage).toMatch(
      /deleted on the server\. Firmdrop restarted this upload 3 times and stopped; check the file/,
    );
    expect(deleted.size).toBe(4);
    expect(h.notices.filter((n) => /clean one is being started/.test(n))).toHaveLength(3);
    expect(h.sandbox.stats().chunksAppended).toBe(4); // chunk 1 once on each of the four jobs
    expect(clock.sleeps).toEqual([]);
    expect(await serverState(h.dm)).toEqual({ images: 0, openJobs: 0 });
  });
});
