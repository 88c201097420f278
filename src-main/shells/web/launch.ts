import { join } from 'node:path';
import { bootApp, type BootedApp } from '../../app/boot';
import { STAGING_FOLDER } from '../../app/paths';
import type { SecretStore } from '../../app/adapters';
import {
  discardStagedRef,
  removeStagedLeftovers,
  stagedRefOf,
  startWebShell,
  type WebShell,
} from './index';

export interface WebAppOptions {
  dataDir: string;
  rendererDir: string;
  version: string;
  keychain: SecretStore;
  port?: number;
  /** A browser session ends after this long without a request. Default 12 hours. */
  sessionIdleMs?: number;
}

export interface WebApp {
  url: string;
  shell: WebShell;
  app: BootedApp;
  close(): Promise<void>;
}

/**
 * The whole app behind the loopback web shell: the same application service the desktop uses,
 * with files that the browser streamed in (spooled under the data folder) in place of paths.
 */
export async function launchWebApp(o: WebAppOptions): Promise<WebApp> {
  const stagingDir = join(o.dataDir, STAGING_FOLDER);
  let shell: WebShell | null = null;
  const app = await bootApp({
    dataDir: o.dataDir,
    version: o.version,
    keychain: o.keychain,
    resolveFile: (ref) => shell?.resolveStagedRef(ref) ?? null,
    owner: 'web',
  });
  // A spooled copy is only needed until its uploads end one way or the other: a fan-out's
  // targets share one copy, so it stays while any other target may still read it.
  app.service.events.on('upload:changed', (u) => {
    const ref = stagedRefOf(stagingDir, u.filePath);
    const shared = () =>
      app.runtime.store.uploads
        .listUnfinished()
        .some((other) => other.id !== u.id && other.filePath === u.filePath);
    if ((u.phase === 'done' || u.phase === 'cancelled') && ref && !shared()) {
      void discardStagedRef(stagingDir, ref).catch(() => undefined);
    }
  });
  try {
    // What a previous run left: half-received files, and copies no unfinished upload needs.
    await removeStagedLeftovers(
      stagingDir,
      app.runtime.store.uploads.listUnfinished().map((u) => u.filePath),
    );
    shell = await startWebShell({
      api: app.service.api,
      events: app.service.events,
      staging: { dir: stagingDir },
      rendererDir: o.rendererDir,
      ...(o.port !== undefined ? { port: o.port } : {}),
      ...(o.sessionIdleMs !== undefined ? { sessionIdleMs: o.sessionIdleMs } : {}),
    });
  } catch (err) {
    await app.close();
    throw err;
  }
  const started = shell;
  return {
    url: started.url,
    shell: started,
    app,
    async close() {
      await started.close();
      await app.close();
    },
  };
}
