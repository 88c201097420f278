// Runs a script of SecretStore calls in a fresh Node process, so that process can live on its own
// D-Bus session (or none). The TypeScript sources are loaded through Vite's module runner, the
// same transform vitest uses. Usage: node keychain-child.mjs '<json steps>'; prints JSON results.
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, createServerModuleRunner } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const steps = JSON.parse(process.argv[2] ?? '[]');

const server = await createServer({
  root,
  configFile: false,
  logLevel: 'silent',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false },
});
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
const secrets = await runner.import(resolve(root, 'src-main/secrets/index.ts'));

/** The pid owning org.freedesktop.secrets on this session bus (the keyring daemon). */
function secretServicePid() {
  const out = execFileSync('dbus-send', [
    '--session',
    '--print-reply',
    '--dest=org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus.GetConnectionUnixProcessID',
    'string:org.freedesktop.secrets',
  ]).toString();
  return Number(/uint32 (\d+)/.exec(out)?.[1]);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const describe = (err) => ({
  ok: false,
  name: err?.name,
  code: err?.code,
  reason: err?.reason,
  message: err?.message,
  cause: err?.cause instanceof Error ? err.cause.message : undefined,
});

const stores = new Map();
const storeFor = (timeoutMs = 5000) => {
  if (!stores.has(timeoutMs)) {
    stores.set(timeoutMs, secrets.createKeytarStore({ service: 'Firmdrop-test', timeoutMs }));
  }
  return stores.get(timeoutMs);
};

const results = [];
for (const step of steps) {
  const started = Date.now();
  let result;
  try {
    const store = storeFor(step.timeoutMs);
    switch (step.op) {
      case 'get':
        result = { ok: true, value: await store.get(step.id) };
        break;
      case 'set':
        result = { ok: true, value: await store.set(step.id, step.key) };
        break;
      case 'delete':
        result = { ok: true, value: await store.delete(step.id) };
        break;
      case 'probe':
        result = { ok: true, value: await store.probe() };
        break;
      case 'stop-daemon':
      case 'cont-daemon': {
        const pid = secretServicePid();
        process.kill(pid, step.op === 'stop-daemon' ? 'SIGSTOP' : 'SIGCONT');
        result = { ok: true, value: pid };
        break;
      }
      case 'sleep':
        await sleep(step.ms);
        result = { ok: true };
        break;
      default:
        throw new Error(`unknown step ${step.op}`);
    }
  } catch (err) {
    result = describe(err);
  }
  results.push({ op: step.op, ms: Date.now() - started, ...result });
}
process.stdout.write(`${JSON.stringify(results)}\n`);
await runner.close();
await server.close();
// A keytar call may still be stuck on a stopped daemon; do not wait for it.
process.exit(0);
