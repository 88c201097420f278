import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, engineSettings } from '../../src-main/app/settings';
import { createDmClient } from '../../src-main/dm/client';
import { openStore, type Upload } from '../../src-main/store';
import { UploadEngine } from '../../src-main/upload/engine';
import { planUploads } from '../../src-main/upload/prepare-upload';

export interface InProcessEngine {
  store: ReturnType<typeof openStore>;
  /**
   * The app's Start: the batch pre-flight (`planUploads`), then the queue until every upload
   * ends. Timed from the pre-flight; throws unless each upload is done and verified.
   */
  run(files: ReadonlyArray<{ filePath: string; name?: string }>): Promise<{
    seconds: number;
    uploads: Upload[];
  }>;
  close(): Promise<void>;
}

/**
 * Firmdrop's engine in the bench process, as the desktop app runs it: a journal of its own, a
 * stored account, and the account's client made before any clock starts (the app's exists
 * before Start: it checked the drafts' names), its connections still to be opened.
 */
export function inProcessEngine(o: {
  work: string;
  baseUrl: string;
  apiKey: string;
  ca?: string | undefined;
  /** Adaptive chunk sizes (the app's default) instead of the settings' fixed 16 MiB. */
  adaptive: boolean;
}): InProcessEngine {
  const dataDir = mkdtempSync(join(o.work, 'journal-in-process-'));
  const store = openStore({ file: join(dataDir, 'firmdrop.db') });
  const settings = engineSettings(DEFAULT_SETTINGS, {}, !o.adaptive);
  const dm = createDmClient({
    baseUrl: o.baseUrl,
    apiKey: o.apiKey,
    ...(o.ca === undefined ? {} : { extraCaPem: o.ca }),
  });
  const engine = new UploadEngine({
    store,
    client: async () => dm,
    settings: () => settings,
    kind: 'cli',
  });
  const account = store.accounts.create({ name: 'bench', baseUrl: o.baseUrl, region: 'custom' });
  return {
    store,
    async run(files) {
      const started = performance.now();
      const planned = await planUploads(
        { store, dm, settings },
        files.map((f) => ({ accountId: account.id, ...f })),
      );
      const rows = planned.map((p) => {
        if (!p.ok) throw p.error;
        return store.uploads.createUpload(p.row);
      });
      rows.forEach((r) => engine.enqueue(r.id));
      await engine.whenIdle();
      const seconds = (performance.now() - started) / 1000;
      const uploads = rows.map((r) => {
        const u = store.uploads.getUpload(r.id);
        if (u?.state !== 'done' || !u.verified) {
          throw new Error(`in-process upload of ${r.name} ended ${u?.state}: ${u?.errorMessage}`);
        }
        return u;
      });
      return { seconds, uploads };
    },
    async close() {
      await engine.shutdown();
      await dm.close();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
