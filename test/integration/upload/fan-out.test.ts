import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import type { DmClient } from '../../../src-main/dm/client';
import { openChunkReader, type OpenChunkReader } from '../../../src-main/upload/chunk-reader';
import { planUpload } from '../../../src-main/upload/prepare-upload';
import type { UploadSnapshot } from '../../../src-main/upload/types';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import {
  download,
  engineHarness,
  FREE_KEY,
  type EngineHarness,
} from '../../helpers/engine-harness';

const KEY = 'ak_fanout_target_0123456789';
let h: EngineHarness | undefined;
const others: Sandbox[] = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  await Promise.all(others.splice(0).map((s) => s.close()));
});

/** Counts what the chunk hashers read: readers opened, bytes hashed, SHA-256 asked. */
function countingReader(): { open: OpenChunkReader; opened: number; hashedBytes: number } {
  const c = {
    opened: 0,
    hashedBytes: 0,
    open: ((path, options) => {
      c.opened += 1;
      const real = openChunkReader(path, options);
      return {
        hash: (offset, length) => {
          c.hashedBytes += length;
          return real.hash(offset, length);
        },
        sha256: (end) => real.sha256(end),
        close: () => real.close(),
      };
    }) as OpenChunkReader,
  };
  return c;
}

/** `n` targets of one file: the harness's account plus n - 1 on sandboxes of their own ports. */
async function targets(
  harness: EngineHarness,
  n: number,
  path: string,
  groupId: string | null,
): Promise<string[]> {
  const accounts: Array<{ accountId: string; dm: DmClient }> = [
    { accountId: harness.accountId, dm: harness.dm },
  ];
  for (let i = 1; i < n; i++) {
    const s = await startSandbox({ accounts: [{ key: KEY, tier: '1' }], latencyMs: 20 });
    others.push(s);
    accounts.push(harness.addAccount(s, KEY));
  }
  const ids: string[] = [];
  for (const a of accounts) {
    const row = await planUpload(
      { store: harness.store, dm: a.dm, settings: harness.settings },
      { accountId: a.accountId, filePath: path, name: 'fw-fan' },
      [],
    );
    ids.push(harness.store.uploads.createUpload({ ...row, groupId }).id);
  }
  return ids;
}

/** The most uploads seen in the uploading phase at one time. */
function mostAtOnce(events: readonly UploadSnapshot[]): number {
  const phase = new Map<string, string>();
  let most = 0;
  for (const e of events) {
    phase.set(e.upload.id, e.phase);
    most = Math.max(most, [...phase.values()].filter((p) => p === 'uploading').length);
  }
  return most;
}

describe('fan-out: one file to several accounts', () => {
  it('hashes the file once for three targets on three hosts, sent in parallel, all verified', async () => {
    const reads = countingReader();
    h = await engineHarness({ openReader: reads.open, settings: { filesAtOnce: 1 } });
    h.sandbox.faults.setLatency(20);
    const { path, data } = h.file('fw-2.3.1.bin', 12 * MiB + 7);
    const ids = await targets(h, 3, path, 'group-1');
    ids.forEach((id) => h!.engine.enqueue(id));
    await h.engine.whenIdle();
    const sha = createHash('sha256').update(data).digest('hex');
    for (const id of ids) {
      const u = h.store.uploads.getUpload(id)!;
      expect(u).toMatchObject({ state: 'done', verified: true, sha256: sha, groupId: 'group-1' });
      expect((await download(u.datafileUrl!)).equals(data)).toBe(true);
    }
    // One reader, each byte hashed once, for all three targets.
    expect(reads.opened).toBe(1);
    expect(reads.hashedBytes).toBe(data.length);
    // One slot (filesAtOnce 1), three hosts: the targets still go at the same time.
    expect(mostAtOnce(h.events)).toBe(3);
  });

  it('without a group the same three uploads hash the file three times, one host at a time', async () => {
    const reads = countingReader();
    h = await engineHarness({ openReader: reads.open, settings: { filesAtOnce: 1 } });
    const { path, data } = h.file('fw.bin', 12 * MiB + 7);
    const ids = await targets(h, 3, path, null);
    ids.forEach((id) => h!.engine.enqueue(id));
    await h.engine.whenIdle();
    expect(ids.map((id) => h!.store.uploads.getUpload(id)!.verified)).toEqual([true, true, true]);
    expect(reads.hashedBytes).toBe(3 * data.length);
    expect(mostAtOnce(h.events)).toBe(1);
  });

  it('two targets on one host keep to one slot, and the second still hashes nothing', async () => {
    const reads = countingReader();
    h = await engineHarness({ openReader: reads.open, settings: { filesAtOnce: 1 } });
    const { path, data } = h.file('fw.bin', 11 * MiB);
    // A second account on the same sandbox: the same host.
    const second = h.addAccount(h.sandbox, FREE_KEY);
    const ids: string[] = [];
    for (const a of [{ accountId: h.accountId, dm: h.dm }, second]) {
      const row = await planUpload(
        { store: h.store, dm: a.dm, settings: h.settings },
        { accountId: a.accountId, filePath: path, name: 'fw-same-host' },
        [],
      );
      ids.push(h.store.uploads.createUpload({ ...row, groupId: 'group-3' }).id);
    }
    ids.forEach((id) => h!.engine.enqueue(id));
    await h.engine.whenIdle();
    expect(ids.map((id) => h!.store.uploads.getUpload(id)!.verified)).toEqual([true, true]);
    expect(mostAtOnce(h.events)).toBe(1);
    expect(reads.hashedBytes).toBe(data.length);
  });

  it('a small file (one POST each) goes to every target, verified, with one SHA-256', async () => {
    h = await engineHarness();
    const { path, data } = h.file('small.bin', 300 * 1024);
    const ids = await targets(h, 2, path, 'group-small');
    ids.forEach((id) => h!.engine.enqueue(id));
    await h.engine.whenIdle();
    const sha = createHash('sha256').update(data).digest('hex');
    for (const id of ids) {
      const u = h.store.uploads.getUpload(id)!;
      expect(u).toMatchObject({ path: 'small', state: 'done', verified: true, sha256: sha });
      expect((await download(u.datafileUrl!)).equals(data)).toBe(true);
    }
  });

  it('a target that fails does not stop the others, and is retried on its own', async () => {
    h = await engineHarness({ settings: { maxAttempts: 2 } });
    const { path, data } = h.file('fw.bin', 11 * MiB);
    const [a, b] = await targets(h, 2, path, 'group-2');
    // Every chunk POST to the harness's own sandbox answers 503, beyond the run's retries.
    h.sandbox.faults.inject({
      kind: 'status',
      status: 503,
      method: 'POST',
      path: /chunks/,
      times: 1000,
    });
    h.engine.enqueue(a!);
    h.engine.enqueue(b!);
    await h.engine.whenIdle();
    expect(h.store.uploads.getUpload(a!)).toMatchObject({
      state: 'failed',
      errorCode: 'server-error',
    });
    expect(h.store.uploads.getUpload(b!)).toMatchObject({ state: 'done', verified: true });
    h.sandbox.faults.clear();
    await h.engine.retry(a!);
    await h.engine.whenIdle();
    const u = h.store.uploads.getUpload(a!)!;
    expect(u).toMatchObject({ state: 'done', verified: true });
    expect((await download(u.datafileUrl!)).equals(data)).toBe(true);
  });
});
