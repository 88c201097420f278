import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxRequestRecord } from '../../../src-sandbox';
import { MiB } from '../../../src-main/core/limits';
import { openChunkReader, type OpenChunkReader } from '../../../src-main/upload/chunk-reader';
import { engineHarness, serverState, type EngineHarness } from '../../helpers/engine-harness';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CREATE = (r: SandboxRequestRecord) =>
  r.method === 'POST' && /^\/v3\/firmware-images\/upload-jobs\/?$/.test(r.path);
const CHUNK_POST = (r: SandboxRequestRecord) =>
  r.method === 'POST' && /\/upload-jobs\/[^/]+\/chunks\/?$/.test(r.path);

/** Resolves once the sandbox's log holds a request for which `test` holds (checked every turn). */
async function whenLogged(h: EngineHarness, test: (r: SandboxRequestRecord) => boolean) {
  while (!h.sandbox.requests().some(test)) await new Promise((r) => setImmediate(r));
}

describe('the start of an upload job', () => {
  it('creates the job while the first chunk is hashed, not after', async () => {
    // What the log held when the first chunk's hash was asked for, and whether the hash was
    // still unfinished when the create arrived (it is held until then).
    const seen: { createAtHash: SandboxRequestRecord | null; heldUntilCreate: boolean } = {
      createAtHash: null,
      heldUntilCreate: false,
    };
    let first = true;
    const openReader: OpenChunkReader = (path, options) => {
      const reader = openChunkReader(path, options);
      return {
        ...reader,
        async hash(offset, length) {
          if (offset !== 0 || !first) return reader.hash(offset, length);
          first = false;
          seen.createAtHash = h!.sandbox.requests().find(CREATE) ?? null;
          const hashed = await reader.hash(offset, length);
          await whenLogged(h!, CREATE);
          seen.heldUntilCreate = !h!.sandbox.requests().some(CHUNK_POST);
          return hashed;
        },
      };
    };
    h = await engineHarness({ openReader });
    const { path } = h.file('start.bin', 12 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-start' });
    h.sandbox.clearRequests();
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    expect(h.store.uploads.getUpload(u.id)).toMatchObject({ state: 'done', verified: true });
    // The hash was asked for before the create had even reached the service...
    expect(seen.createAtHash).toBeNull();
    // ...and the create went out while that hash was unfinished, before any chunk.
    expect(seen.heldUntilCreate).toBe(true);
    const seenLog = h.sandbox.requests();
    expect(seenLog.filter(CREATE)).toHaveLength(1);
    expect(seenLog.findIndex(CREATE)).toBeLessThan(seenLog.findIndex(CHUNK_POST));
    expect(await serverState(h.dm)).toEqual({ images: 1, openJobs: 0 });
  });

  it('a create refused as a duplicate name after the hash began: the name error, no chunk sent', async () => {
    h = await engineHarness();
    const { path } = h.file('taken.bin', 12 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-taken' });
    // The name is taken between the pre-flight and the create (by another tool, say).
    await h.dm.createUploadJob({ name: 'fw-taken', description: '', encrypt: false });
    h.sandbox.clearRequests();
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    const done = h.store.uploads.getUpload(u.id)!;
    expect(done.state).toBe('failed');
    expect(done.errorCode).toBe('name-taken');
    expect(h.sandbox.requests().filter(CHUNK_POST)).toEqual([]);
  });
});
