import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { FirmdropApi } from '../../app/contract';
import type { EventFeed } from '../../app/event-hub';
import { ensurePrivateDir } from '../../app/adapters';
import { createShellServer } from './server';
import { DEFAULT_SESSION_IDLE_MS, Sessions } from './session';
import { createEventHub } from './sse';
import { createStageHandler, resolveStagedRef } from './staging';
import type { StagingOptions } from './staging';

export {
  discardStagedRef,
  isStagedRef,
  removeStagedLeftovers,
  resolveStagedRef,
  stagedRefOf,
} from './staging';
export type { StagingOptions } from './staging';
export { CONTENT_SECURITY_POLICY } from './static';

export interface WebShellOptions {
  api: FirmdropApi;
  events: EventFeed;
  staging: StagingOptions;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 or absent: any free port. The shell binds to 127.0.0.1 only, whatever is asked. */
  port?: number;
  /** Largest JSON command body, bytes. Default 1 MiB. */
  maxJsonBytes?: number;
  /** A browser session ends after this long without a request. Default 12 hours. */
  sessionIdleMs?: number;
  /** Unexpected failures, in full, for the operator's log. Default: stderr. */
  log?: (message: string, err: unknown) => void;
}

export interface WebShell {
  /**
   * Open this in a browser: it carries the token, which the page trades for a session cookie at
   * once (and then removes from the address bar).
   */
  url: string;
  token: string;
  port: number;
  stagingDir: string;
  /** resolveStagedRef bound to this shell's staging dir, for wiring into the app service. */
  resolveStagedRef(ref: string): string | null;
  close(): Promise<void>;
}

function defaultLog(message: string, err: unknown): void {
  process.stderr.write(
    `${message}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
}

export async function startWebShell(opts: WebShellOptions): Promise<WebShell> {
  const token = randomBytes(32).toString('hex');
  const stagingDir = resolve(opts.staging.dir);
  // Staged firmware is private: 0700, its files 0600 (see staging.ts).
  ensurePrivateDir(stagingDir);
  const idleMs = opts.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  // Streams check their session at each heartbeat, so a short idle limit (tests) is kept closely.
  const hub = createEventHub(opts.events, { heartbeatMs: Math.min(15_000, idleMs) });
  let port = 0;
  const server = createShellServer({
    sessions: new Sessions({ token, idleMs }),
    rendererDir: resolve(opts.rendererDir),
    stage: createStageHandler({ ...opts.staging, dir: stagingDir }),
    invoke: {
      api: opts.api,
      stagingDir,
      maxJsonBytes: opts.maxJsonBytes ?? 1024 * 1024,
      log: opts.log ?? defaultLog,
    },
    events: hub,
    port: () => port,
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    stagingDir,
    resolveStagedRef: (ref) => resolveStagedRef(stagingDir, ref),
    close: () =>
      new Promise<void>((done) => {
        hub.closeAll();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
