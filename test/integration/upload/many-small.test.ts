import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxRequestRecord } from '../../../src-sandbox';
import { planUploads } from '../../../src-main/upload/prepare-upload';
import { engineHarness, serverState, type EngineHarness } from '../../helpers/engine-harness';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The most requests that were in flight at one moment (arrivals and answers share one counter). */
function mostAtOnce(requests: SandboxRequestRecord[]): number {
  const marks = requests.flatMap((r) => [
    { at: r.arrived, step: 1 },
    { at: r.answered ?? Infinity, step: -1 },
  ]);
  marks.sort((a, b) => a.at - b.at);
  let now = 0;
  let most = 0;
  for (const m of marks) most = Math.max(most, (now += m.step));
  return most;
}

describe('many small files', () => {
  it('twelve small files go together although filesAtOnce is 2, each verified', async () => {
    h = await engineHarness({ settings: { filesAtOnce: 2 } });
    const files = Array.from({ length: 12 }, (_, i) => h!.file(`v${i}.bin`, 100 * 1024));
    const planned = await planUploads(
      { store: h.store, dm: h.dm, settings: h.settings },
      files.map((f, i) => ({ accountId: h!.accountId, filePath: f.path, name: `variant-${i}` })),
    );
    const rows = planned.map((p) => {
      if (!p.ok) throw p.error;
      return h!.store.uploads.createUpload(p.row);
    });
    // Held answers: with filesAtOnce 2 as a plain limit, at most 2 POSTs could overlap. (Not 12
    // exactly: each run's journal writes are synchronous fsyncs, which stagger starts on a busy disk.)
    h.sandbox.faults.setLatency(600);
    h.sandbox.clearRequests();
    rows.forEach((r) => h!.engine.enqueue(r.id));
    await h.engine.whenIdle();
    for (const r of rows) {
      expect(h.store.uploads.getUpload(r.id)).toMatchObject({ state: 'done', verified: true });
    }
    const posts = h.sandbox
      .requests()
      .filter((r) => r.method === 'POST' && r.path === '/v3/firmware-images/');
    expect(posts).toHaveLength(12);
    expect(mostAtOnce(posts)).toBeGreaterThanOrEqual(8);
    expect(await serverState(h.dm)).toEqual({ images: 12, openJobs: 0 });
  });
});
