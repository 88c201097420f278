import { appendFileSync, closeSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { createDmClient } from '../../../src-main/dm/client';
import { whenFired } from '../../../src-main/core/event';
import { UploadEngine } from '../../../src-main/upload/engine';
import type { UploadSnapshot } from '../../../src-main/upload/types';
import { startSandbox } from '../../../src-sandbox';
import {
  COMMERCIAL_KEY,
  engineHarness,
  serverState,
  type EngineHarness,
} from '../../helpers/engine-harness';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const download = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

/** Resolves at the first snapshot of `id` for which `test` holds. */
function when(
  engine: UploadEngine,
  id: string,
  test: (s: UploadSnapshot) => boolean,
): Promise<UploadSnapshot> {
  return whenFired(engine.onDidChange, (s) => s.upload.id === id && test(s));
}

describe('engine control and recovery', () => {
  it('pauses mid-upload and resumes from what the server holds, nothing appended twice', async () => {
    h = await engineHarness();
    h.sandbox.faults.setBandwidth(6 * MiB);
    const { path, data } = h.file('p.bin', 15 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-pause' });
    h.engine.enqueue(u.id);
    await when(h.engine, u.id, (s) => s.chunk?.current === 1);
    h.engine.pause(u.id);
    await h.engine.whenIdle();
    const paused = h.store.uploads.getUpload(u.id)!;
    expect(paused.state).toBe('paused');
    expect(paused.bytesAcked).toBeGreaterThanOrEqual(5 * MiB);
    h.sandbox.faults.setBandwidth(null);
    h.engine.resume(u.id);
    await h.engine.whenIdle();
    const done = h.store.uploads.getUpload(u.id)!;
    expect(done).toMatchObject({ state: 'done', verified: true });
    expect((await download(done.datafileUrl!)).equals(data)).toBe(true);
    expect(h.sandbox.stats().chunksAppended).toBe(3);
  });

  it('cancel stops the upload and deletes its job on the server', async () => {
    h = await engineHarness();
    h.sandbox.faults.setBandwidth(6 * MiB);
    const { path } = h.file('c.bin', 15 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-cancel' });
    h.engine.enqueue(u.id);
    await when(h.engine, u.id, (s) => s.chunk?.current === 1);
    await h.engine.cancel(u.id);
    const row = h.store.uploads.getUpload(u.id)!;
    expect(row.state).toBe('cancelled');
    expect(row.errorMessage).toMatch(/upload job was deleted/);
    expect(await serverState(h.dm)).toEqual({ images: 0, openJobs: 0 });
  });

  it('a job deleted on the server mid-upload is replaced by a clean one, and the user is told', async () => {
    h = await engineHarness();
    h.sandbox.faults.setBandwidth(8 * MiB);
    const { path, data } = h.file('d.bin', 15 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-deleted' });
    h.engine.enqueue(u.id);
    const s = await when(h.engine, u.id, (x) => x.chunk?.current === 1);
    await h.dm.deleteUploadJob(s.upload.jobId!);
    h.sandbox.faults.setBandwidth(null);
    await h.engine.whenIdle();
    const done = h.store.uploads.getUpload(u.id)!;
    expect({ state: done.state, error: done.errorMessage }).toEqual({ state: 'done', error: null });
    expect((await download(done.datafileUrl!)).equals(data)).toBe(true);
    expect(h.notices.join('\n')).toMatch(/deleted on the server.*clean one/s);
    expect(await serverState(h.dm)).toEqual({ images: 1, openJobs: 0 });
  });

  it('a file changed between runs (same size and time, other bytes) starts over on a clean job', async () => {
    h = await engineHarness();
    h.sandbox.faults.setBandwidth(6 * MiB);
    const { path } = h.file('x.bin', 15 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-changed' });
    h.engine.enqueue(u.id);
    await when(h.engine, u.id, (s) => s.chunk?.current === 1);
    await h.engine.shutdown(); // as if the app quit
    expect(h.store.uploads.getUpload(u.id)!.state).toBe('interrupted');

    // Rewrite the first chunk's bytes but keep the size, and make the journal's modification
    // time match the new one (as a copy tool that preserves times would): only the MD5 shows it.
    const fd = openSync(path, 'r+');
    writeSync(fd, randomBytes(1024), 0, 1024, 100);
    closeSync(fd);
    h.store.uploads.updateUpload(u.id, { fileMtimeMs: statSync(path).mtimeMs });

    h.sandbox.faults.setBandwidth(null);
    const engine = h.restartEngine();
    expect(engine.recover().map((x) => x.state)).toEqual(['interrupted']);
    engine.resume(u.id);
    await engine.whenIdle();
    const done = h.store.uploads.getUpload(u.id)!;
    expect(done).toMatchObject({ state: 'done', verified: true });
    expect(h.notices.join('\n')).toMatch(/file changed since chunk 1/);
    expect(await serverState(h.dm)).toEqual({ images: 1, openJobs: 0 });
  });

  it('a file that grew after the upload began (size changed) starts over and verifies the new bytes', async () => {
    h = await engineHarness();
    h.sandbox.faults.setBandwidth(6 * MiB);
    const { path } = h.file('g.bin', 12 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-grew' });
    h.engine.enqueue(u.id);
    await when(h.engine, u.id, (s) => s.chunk?.current === 1);
    h.engine.pause(u.id);
    await h.engine.whenIdle();
    appendFileSync(path, randomBytes(4096));
    h.sandbox.faults.setBandwidth(null);
    h.engine.resume(u.id);
    await h.engine.whenIdle();
    const done = h.store.uploads.getUpload(u.id)!;
    expect(done).toMatchObject({ state: 'done', verified: true, fileSize: 12 * MiB + 4096 });
    expect(h.notices.join('\n')).toMatch(/file changed on disk/);
  });

  it('a full quota is refused before anything is sent, saying how to make room', async () => {
    h = await engineHarness({ tier: '0' });
    for (let i = 0; i < 10; i++) {
      const f = h.file(`q${i}.bin`, 100);
      await h.dm.createImageSmall({
        name: `q${i}`,
        description: '',
        encrypt: false,
        file: { path: f.path, size: 100, fileName: `q${i}.bin` },
      });
    }
    const f = h.file('one-more.bin', 100);
    const err = await h.add({ filePath: f.path, name: 'one-more' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'quota-full' });
    expect((err as Error).message).toMatch(
      /holds 10 of its 10 firmware images.*Delete images.*commercial/,
    );
    expect(h.store.uploads.listUploads({ limit: 10 })).toEqual([]);
  });

  it('a key refused by the service (401) fails the upload with a clear message, without retrying forever', async () => {
    h = await engineHarness();
    const { path } = h.file('k.bin', 6 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-401' });
    const bad = createDmClient({ baseUrl: h.sandbox.url, apiKey: 'ak_revoked_key_42' });
    const engine = new UploadEngine({
      store: h.store,
      client: async () => bad,
      settings: () => h!.settings,
    });
    engine.enqueue(u.id);
    await engine.whenIdle();
    await bad.close();
    const row = h.store.uploads.getUpload(u.id)!;
    expect(row.state).toBe('failed');
    expect(row.errorCode).toBe('unauthorized');
    expect(row.errorMessage).toMatch(/API key was refused/);
    expect(row.errorMessage).not.toContain('ak_revoked_key_42');
  });
});

describe('engine: network, settings and advice', () => {
  it('waits while the service is unreachable and resumes by itself when it is back', async () => {
    h = await engineHarness({ maxSleepMs: 100 });
    const port = Number(new URL(h.sandbox.url).port);
    const dataDir = h.sandbox.dataDir;
    h.sandbox.faults.setBandwidth(8 * MiB);
    const { path, data } = h.file('o.bin', 15 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-offline' });
    h.engine.enqueue(u.id);
    await when(h.engine, u.id, (s) => s.chunk?.current === 1);
    const offline = when(h.engine, u.id, (s) => s.phase === 'waiting-network');
    const wentOffline = whenFired(h.engine.onReachability).then((o) => o.length === 0);
    const reported: string[][] = [];
    h.engine.onReachability((o) => reported.push(o.map((x) => x.host)));
    await h.sandbox.close(); // the "network" is gone: connections are refused
    await offline;
    expect(await wentOffline).toBe(false);
    expect(h.engine.online).toBe(false);
    const back = await startSandbox({
      port,
      dataDir,
      accounts: [{ key: COMMERCIAL_KEY, tier: '1' }],
    });
    try {
      await h.engine.whenIdle();
      const done = h.store.uploads.getUpload(u.id)!;
      expect({ state: done.state, error: done.errorMessage }).toEqual({
        state: 'done',
        error: null,
      });
      expect((await download(done.datafileUrl!)).equals(data)).toBe(true);
      expect(h.engine.online).toBe(true);
      // The host was named while it was down, and the all-clear was told when it answered.
      expect(reported[0]).toEqual([new URL(h.sandbox.url).host]);
      expect(reported.at(-1)).toEqual([]);
    } finally {
      await back.close();
    }
  });

  it('keeps the completed upload job when the setting says so, and notes a duplicate build', async () => {
    h = await engineHarness({ settings: { keepCompletedJobs: true } });
    const { path, data } = h.file('k.bin', 7 * MiB);
    const a = await h.add({ filePath: path, name: 'fw-keep' });
    h.engine.enqueue(a.id);
    await h.engine.whenIdle();
    const jobs = (await h.dm.listUploadJobs({ limit: 10 })).data;
    expect(jobs.map((j) => [j.name, j.completed])).toEqual([['fw-keep', true]]);
    const copy = h.file('k2.bin', 0);
    writeFileSync(copy.path, data);
    const b = await h.add({ filePath: copy.path, name: 'fw-keep-again' });
    h.engine.enqueue(b.id);
    await h.engine.whenIdle();
    expect(h.notices.join('\n')).toMatch(/"fw-keep-again" has the same SHA-256 as "fw-keep"/);
  });
});
