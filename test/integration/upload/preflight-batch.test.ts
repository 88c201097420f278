import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxRequestRecord } from '../../../src-sandbox';
import type { FirmdropError } from '../../../src-main/core/errors';
import { preflightBatch } from '../../../src-main/upload/preflight';
import { planUploads } from '../../../src-main/upload/prepare-upload';
import { engineHarness, type EngineHarness } from '../../helpers/engine-harness';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const isCount = (r: SandboxRequestRecord) =>
  r.method === 'GET' && r.path === '/v3/firmware-images/' && r.query.include === 'total_count';
const isNameList = (list: 'images' | 'jobs') => (r: SandboxRequestRecord) =>
  r.method === 'GET' &&
  (list === 'images'
    ? r.path === '/v3/firmware-images/'
    : r.path === '/v3/firmware-images/upload-jobs') &&
  ('name__in' in r.query || 'name__eq' in r.query);

/** Every request arrived before any was answered: all were in flight at one moment. */
function allInFlightTogether(requests: SandboxRequestRecord[]): boolean {
  const lastArrival = Math.max(...requests.map((r) => r.arrived));
  const firstAnswer = Math.min(...requests.map((r) => r.answered ?? Infinity));
  return lastArrival < firstAnswer;
}

async function imageNamed(h: EngineHarness, name: string): Promise<void> {
  const { path } = h.file(`${name.replace(/\W/g, '_')}.bin`, 2000);
  await h.dm.createImageSmall({
    name,
    description: '',
    encrypt: false,
    file: { path, size: 2000, fileName: 'x.bin' },
  });
}

describe('pre-flight of a batch', () => {
  it('checks N files with one quota read and one name__in request to each list', async () => {
    h = await engineHarness();
    const files = [1, 2, 3, 4, 5].map((i) => h!.file(`fw-${i}.bin`, 3000));
    h.sandbox.clearRequests();
    const results = await planUploads(
      { store: h.store, dm: h.dm, settings: h.settings },
      files.map((f, i) => ({ accountId: h!.accountId, filePath: f.path, name: `fw-${i + 1}` })),
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    const seen = h.sandbox.requests();
    expect(seen.filter(isCount)).toHaveLength(1);
    const images = seen.filter(isNameList('images'));
    const jobs = seen.filter(isNameList('jobs'));
    expect(images).toHaveLength(1);
    expect(jobs).toHaveLength(1);
    const asked = ['fw-1', 'fw-2', 'fw-3', 'fw-4', 'fw-5'];
    expect(images[0]?.query.name__in?.split(',').sort()).toEqual(asked);
    expect(jobs[0]?.query.name__in?.split(',').sort()).toEqual(asked);
    // The account's tier is known: nothing else was asked.
    expect(seen).toHaveLength(3);
  });

  it('sends accounts/me, the quota read and both name look-ups together', async () => {
    h = await engineHarness();
    // Every answer is held 250 ms: requests sent one after another could not all arrive first.
    h.sandbox.faults.setLatency(250);
    h.sandbox.clearRequests();
    const verdicts = await preflightBatch(h.dm, {
      names: ['a', 'b', 'c'],
      tier: null,
      alsoQueued: 0,
    });
    expect(verdicts).toEqual([null, null, null]);
    const seen = h.sandbox.requests();
    expect(seen.map((r) => r.path).sort()).toEqual([
      '/v3/accounts/me',
      '/v3/firmware-images/',
      '/v3/firmware-images/',
      '/v3/firmware-images/upload-jobs',
    ]);
    expect(allInFlightTogether(seen)).toBe(true);
  });

  it('catches names taken by an image or by a job inside a batch, and offers free ones', async () => {
    h = await engineHarness();
    await imageNamed(h, 'fw-b');
    await imageNamed(h, 'fw,e'); // a comma cannot go in a name__in list: asked on its own
    await imageNamed(h, 'fw-c (2)'); // so the offer for fw-c skips to (3)
    await h.dm.createUploadJob({ name: 'fw-c', description: '', encrypt: false });
    h.sandbox.clearRequests();
    const verdicts = await preflightBatch(h.dm, {
      names: ['fw-a', 'fw-b', 'fw-c', 'fw-d', 'fw,e'],
      tier: '1',
      alsoQueued: 0,
    });
    expect(verdicts[0]).toBeNull();
    expect(verdicts[3]).toBeNull();
    const [b, c, e] = [verdicts[1], verdicts[2], verdicts[4]] as [
      FirmdropError,
      FirmdropError,
      FirmdropError,
    ];
    expect(b).toMatchObject({ code: 'name-taken', suggestion: 'fw-b (2)' });
    expect(b.message).toContain('already used by a firmware image');
    expect(c).toMatchObject({ code: 'name-taken', suggestion: 'fw-c (3)' });
    expect(c.message).toContain('already used by an upload job');
    expect(e).toMatchObject({ code: 'name-taken', suggestion: 'fw,e (2)' });
    // The batch's own look-up: one name__in per list for the four plain names.
    const first = h.sandbox
      .requests()
      .filter((r) => 'name__in' in r.query && r.query.name__in?.includes('fw-a'));
    expect(first).toHaveLength(2);
  });

  it('gives the last places of a nearly full account to the first files of the batch', async () => {
    h = await engineHarness({ tier: '0' });
    for (let i = 0; i < 8; i++) await imageNamed(h, `old-${i}`);
    const verdicts = await preflightBatch(h.dm, {
      names: ['n1', 'n2', 'n3'],
      tier: '0',
      alsoQueued: 0,
    });
    expect(verdicts[0]).toBeNull();
    expect(verdicts[1]).toBeNull();
    expect(verdicts[2]).toMatchObject({ code: 'quota-full' });
    expect(verdicts[2]?.message).toContain(
      'holds 8 of its 10 firmware images and 2 more are queued',
    );
  });

  it('refuses a batch name already used earlier in the same batch without asking the server', async () => {
    h = await engineHarness();
    const a = h.file('a.bin', 100);
    const b = h.file('b.bin', 100);
    const results = await planUploads({ store: h.store, dm: h.dm, settings: h.settings }, [
      { accountId: h.accountId, filePath: a.path, name: 'same' },
      { accountId: h.accountId, filePath: b.path, name: 'same' },
    ]);
    expect(results[0]?.ok).toBe(true);
    expect(results[1]).toMatchObject({ ok: false });
    expect(String((results[1] as { error: Error }).error.message)).toContain(
      'Another upload in the queue is already named "same"',
    );
  });
});
