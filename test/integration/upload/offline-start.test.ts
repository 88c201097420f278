import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { createDmClient } from '../../../src-main/dm/client';
import { prepareUpload } from '../../../src-main/upload/prepare-upload';
import { engineHarness, type EngineHarness } from '../../helpers/engine-harness';

let h: EngineHarness | undefined;
let silent: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  sockets.forEach((s) => s.destroy());
  await new Promise((r) => (silent ? silent.close(r) : r(undefined)));
  await h?.close();
  h = silent = undefined;
});

/** A host that takes connections and never answers (packets dropped on the way back). */
async function blackHole(): Promise<string> {
  silent = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent!.listen(0, '127.0.0.1', r));
  const { port } = silent.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

describe('offline start: journaled now, checked with the server when it answers', () => {
  it('a host that never answers does not hold Start: the upload is journaled to wait', async () => {
    h = await engineHarness();
    const url = await blackHole();
    const account = h.store.accounts.create({ name: 'Silent', baseUrl: url, region: 'custom' });
    const dm = createDmClient({ baseUrl: url, apiKey: 'ak_silent_0123456789', timeoutMs: 60_000 });
    const { path } = h.file('silent.bin', 6 * MiB);
    const started = Date.now();
    const row = await prepareUpload(
      { store: h.store, dm, settings: h.settings },
      { accountId: account.id, filePath: path, allowOffline: true, checkDeadlineMs: 300 },
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(row).toMatchObject({ state: 'queued', preflightPending: true });
    await dm.close();
  });

  it('without allowOffline an unreachable host refuses at once (the CLI without --wait)', async () => {
    h = await engineHarness();
    const account = h.store.accounts.create({
      name: 'Gone',
      baseUrl: 'http://127.0.0.1:9',
      region: 'custom',
    });
    const dm = createDmClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'ak_gone_0123456789' });
    const { path } = h.file('gone.bin', 6 * MiB);
    const err = await prepareUpload(
      { store: h.store, dm, settings: h.settings },
      { accountId: account.id, filePath: path },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'network' });
    expect(h.store.uploads.listUnfinished()).toEqual([]);
    await dm.close();
  });

  it('the pending checks run when the host answers: a taken name is refused like any other', async () => {
    h = await engineHarness();
    const { path } = h.file('taken.bin', 6 * MiB);
    const first = await h.add({ filePath: path, name: 'fw-taken' });
    h.engine.enqueue(first.id);
    await h.engine.whenIdle();
    // Journaled as if offline: the name was never checked.
    const again = h.store.uploads.createUpload({
      accountId: h.accountId,
      filePath: path,
      fileSize: first.fileSize,
      fileMtimeMs: first.fileMtimeMs,
      name: 'fw-taken',
      path: 'job',
      chunkSize: 5 * MiB,
      preflightPending: true,
    });
    h.engine.enqueue(again.id);
    await h.engine.whenIdle();
    expect(h.store.uploads.getUpload(again.id)).toMatchObject({
      state: 'failed',
      errorCode: 'name-taken',
      preflightPending: true,
    });
    expect(h.sandbox.stats().chunksAppended).toBe(2);
  });
});
