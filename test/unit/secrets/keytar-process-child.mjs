// A process that uses the keychain helper (with the stand-in keytar given as argv[3]) the way the
// CLI does, loading the TypeScript source through Vite's module runner. Usage:
//   node keytar-process-child.mjs idle FAKE  — a round trip, then the process should end by itself
//   node keytar-process-child.mjs stuck FAKE — a call that never returns, then process.exit
// Prints the helper's pid.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, createServerModuleRunner } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const [mode, fake] = process.argv.slice(2);
const server = await createServer({
  root,
  configFile: false,
  logLevel: 'silent',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, ws: false },
});
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
const { keytarInHelperProcess } = await runner.import(
  resolve(root, 'src-main/secrets/keytar-process.ts'),
);
await runner.close();
await server.close();

const api = await keytarInHelperProcess({ keytarPath: fake })();
await api.setPassword('svc', 'a', 'x');
if ((await api.getPassword('svc', 'a')) !== 'x') throw new Error('round trip failed');
const { execFileSync } = await import('node:child_process');
const helper = execFileSync('pgrep', ['-P', String(process.pid)])
  .toString()
  .trim();
process.stdout.write(`${helper}\n`);
if (mode === 'stuck') {
  void api.getPassword('svc', 'stuck');
  setTimeout(() => process.exit(0), 300);
}
// idle: nothing left to do; the helper must not keep this process alive.
