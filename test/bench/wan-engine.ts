import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, engineSettings } from '../../src-main/app/settings';
import { createDmClient } from '../../src-main/dm/client';
import { openStore } from '../../src-main/store';
import { UploadEngine } from '../../src-main/upload/engine';
import { planUploads } from '../../src-main/upload/prepare-upload';
import type { WanClientInput, WanClientResult } from './wan-clients';

/**
 * Firmdrop's engine in this process, as the desktop app runs an upload on Start: a stored
 * account, the batch pre-flight (`planUploads`), then the queue, with adaptive chunk sizes (the
 * default). Everything the CLI does but starting a process and asking `accounts/me` for an
 * environment key: the SHA-256 and each chunk's MD5 are computed on the clock, the image is
 * verified and the job deleted. Its clock starts where the ceilings' does, before the first
 * connection is opened (cold, where the app's name checks would usually have warmed them).
 */
export async function engineUpload(
  input: WanClientInput & { work: string },
): Promise<WanClientResult> {
  const dataDir = mkdtempSync(join(input.work, 'journal-wan-engine-'));
  const store = openStore({ file: join(dataDir, 'firmdrop.db') });
  const settings = engineSettings(DEFAULT_SETTINGS, {}, false);
  // Made before the clock, as the app's client for an account exists before Start (it checked
  // the draft's name); its connections are still to be opened.
  const dm = createDmClient({
    baseUrl: input.endpoint.base,
    apiKey: input.apiKey,
    ...(input.endpoint.ca === undefined ? {} : { extraCaPem: input.endpoint.ca }),
  });
  const engine = new UploadEngine({
    store,
    client: async () => dm,
    settings: () => settings,
    kind: 'cli',
  });
  try {
    const account = store.accounts.create({
      name: 'bench-wan',
      baseUrl: input.endpoint.base,
      region: 'custom',
    });
    const started = performance.now();
    const [planned] = await planUploads({ store, dm, settings }, [
      { accountId: account.id, filePath: input.file, name: input.name },
    ]);
    if (!planned?.ok) throw planned?.error ?? new Error('nothing planned');
    const row = store.uploads.createUpload(planned.row);
    engine.enqueue(row.id);
    await engine.whenIdle();
    const seconds = (performance.now() - started) / 1000;
    const done = store.uploads.getUpload(row.id);
    if (done?.state !== 'done' || !done.verified || !done.imageId) {
      throw new Error(`the in-process upload ended ${done?.state}: ${done?.errorMessage}`);
    }
    return {
      seconds,
      chunks: store.uploads.listChunks(row.id).length,
      imageId: done.imageId,
      datafileSize: done.datafileSize ?? -1,
    };
  } finally {
    await engine.shutdown();
    await dm.close();
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
