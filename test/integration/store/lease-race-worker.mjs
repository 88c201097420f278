// One racer of leases-repo.test.ts: a worker thread with its own store (its own SQLite
// connection, as a second process would have) that claims the given uploads one by one, meeting
// the other racers at a barrier before each claim so the claims really overlap. The TypeScript
// sources are loaded through Vite's module runner, the same transform vitest uses.
import { resolve } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createServer, createServerModuleRunner } from 'vite';

const { root, file, owner, uploadIds, now, ttlMs, sync: syncBuffer, parties } = workerData;
const sync = new Int32Array(syncBuffer); // [generation, arrived]

/** Returns when all `parties` racers have arrived; spins first, so they leave within µs. */
function barrier() {
  const generation = Atomics.load(sync, 0);
  if (Atomics.add(sync, 1, 1) === parties - 1) {
    Atomics.store(sync, 1, 0);
    Atomics.add(sync, 0, 1);
    Atomics.notify(sync, 0);
    return;
  }
  for (let spins = 0; Atomics.load(sync, 0) === generation; spins++) {
    // A racer still starting up (Vite takes a moment): stop burning the CPU it needs.
    if (spins > 1_000_000) Atomics.wait(sync, 0, generation, 5);
  }
}

const server = await createServer({
  root,
  configFile: false,
  logLevel: 'silent',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false },
});
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
const { openStore } = await runner.import(resolve(root, 'src-main/store/index.ts'));
const store = openStore({ file });

const results = [];
for (const uploadId of uploadIds) {
  barrier();
  try {
    const r = store.leases.claim(uploadId, owner, { now, ttlMs, isDead: () => false });
    results.push(
      r.ok
        ? { uploadId, ok: true, owner: r.lease.id, tookOver: r.tookOver?.id ?? null }
        : { uploadId, ok: false, holder: r.holder.id },
    );
  } catch (err) {
    results.push({ uploadId, error: `${err.code ?? err.name}: ${err.message}` });
  }
}
store.close();
await runner.close();
await server.close();
parentPort.postMessage(results);
