import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { KeytarApi } from './keytar-store';

/**
 * keytar in a helper Node process, for the command line.
 *
 * A keychain call that hangs (the Secret Service stopped, or waiting behind an unlock prompt)
 * holds one of libuv's pool threads until D-Bus gives up, 25 s a call. The store's timeout
 * reports it after 5 s, but Node's exit joins that pool, so `process.exit` itself waited until
 * the call ended: the CLI printed the timeout at 5 s and exited at 50 s. Here the hung call holds
 * a thread of the helper instead, and the helper is killed when the command exits.
 *
 * The key goes to the helper over its IPC channel, never on its command line (which `ps` shows).
 */

// Runs with `node -e`; argv[1] is keytar's resolved path. Only keytar's three calls are served.
const HELPER = `
const OPS = new Set(['getPassword', 'setPassword', 'deletePassword']);
const text = (err) => String(err && err.message ? err.message : err);
let keytar;
try {
  keytar = require(process.argv[1]);
} catch (err) {
  process.send({ ready: false, message: text(err) }, () => process.disconnect());
}
if (keytar) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m) => {
    if (!m || !OPS.has(m.op) || !Array.isArray(m.args)) return;
    Promise.resolve()
      .then(() => keytar[m.op](...m.args))
      .then(
        (value) => process.send({ id: m.id, ok: true, value }),
        (err) => process.send({ id: m.id, ok: false, message: text(err) }),
      );
  });
  process.send({ ready: true });
}
`;

type Op = keyof KeytarApi;
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };
type Ready = { ready: true } | { ready: false; message: string };

interface Helper {
  child: ChildProcess;
  ready: Promise<void>;
  pending: Map<number, { resolve(v: unknown): void; reject(e: Error): void }>;
}

/** Where keytar is, found the way the bundle's own `import('keytar')` would find it. */
function keytarPath(): string {
  // An ES module runner (scripts/run-ts.mjs) has no __filename; it runs from the repository.
  const from = typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js');
  return createRequire(from).resolve('keytar');
}

/**
 * A `load` for createKeytarStore: starts the helper (again, should it have died) and resolves
 * once keytar is loaded in it; rejects with keytar's own load error (libsecret missing, …).
 */
export function keytarInHelperProcess(
  opts: { /** Tests load a stand-in module instead. */ keytarPath?: string } = {},
): () => Promise<KeytarApi> {
  let helper: Helper | undefined;
  let nextId = 0;

  // Idle, the helper must not keep the event loop alive; a call in flight must.
  const idle = (h: Helper): void => {
    if (h.pending.size > 0) return;
    h.child.unref();
    h.child.channel?.unref();
  };

  function start(): Helper {
    // No stdio of ours: a helper outliving us (we were killed outright, mid-call) must not hold
    // the pipe a script reads our output from. Errors come back as messages.
    const child = spawn(process.execPath, ['-e', HELPER, opts.keytarPath ?? keytarPath()], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    const kill = (): void => {
      child.kill('SIGKILL');
    };
    process.once('exit', kill);
    const h: Helper = { child, ready: Promise.resolve(), pending: new Map() };
    h.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: Ready | Reply) => {
        if ('ready' in m) {
          if (m.ready) {
            resolve();
            idle(h);
          } else reject(new Error(m.message));
          return;
        }
        const waiting = h.pending.get(m.id);
        if (!waiting) return;
        h.pending.delete(m.id);
        if (m.ok) waiting.resolve(m.value);
        else waiting.reject(new Error(m.message));
        idle(h);
      });
      child.on('error', (err) => {
        if (helper === h) helper = undefined;
        reject(err);
      });
      child.on('exit', (code, signal) => {
        process.off('exit', kill);
        if (helper === h) helper = undefined;
        const gone = new Error(
          `The keychain helper process ended (${signal ?? `exit code ${code}`}).`,
        );
        reject(gone);
        for (const waiting of h.pending.values()) waiting.reject(gone);
        h.pending.clear();
      });
    });
    return h;
  }

  async function call(op: Op, args: string[]): Promise<unknown> {
    const h = (helper ??= start());
    await h.ready;
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      h.pending.set(id, { resolve, reject });
      h.child.ref();
      h.child.channel?.ref();
      h.child.send({ id, op, args }, (err) => {
        if (!err) return;
        h.pending.delete(id);
        reject(err);
        idle(h);
      });
    });
  }

  const api: KeytarApi = {
    getPassword: (service, account) =>
      call('getPassword', [service, account]) as Promise<string | null>,
    setPassword: async (service, account, password) => {
      await call('setPassword', [service, account, password]);
    },
    deletePassword: (service, account) =>
      call('deletePassword', [service, account]) as Promise<boolean>,
  };

  return async () => {
    const h = (helper ??= start());
    await h.ready;
    return api;
  };
}
