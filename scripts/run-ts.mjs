// Runs a TypeScript module of this project under plain Node, through Vite's module runner (the
// transform vitest uses), so tools such as the benchmarks can import src-main/ directly.
// Usage: node scripts/run-ts.mjs <file.ts> [args...]
// The module runs its top level on import; if its default export is a function, it is called with
// the remaining arguments and its result (a number, or nothing for 0) becomes the exit code.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, createServerModuleRunner } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Loads `file` through a middleware-mode Vite server (no HTTP listener, no file watcher, no HMR)
 * and runs its default export with `args`. Returns the exit code.
 */
export async function runTs(file, args = []) {
  const entry = resolve(file);
  if (!existsSync(entry)) throw new Error(`run-ts: no such file: ${file}`);
  // The chunk reader runs its worker thread from built JavaScript, which the sources have none of
  // beside them: use the CLI build's (the benchmarks build it first). Children inherit it.
  process.env.FIRMDROP_CHUNK_WORKER ||= resolve(root, 'out/cli/chunk-worker.cjs');
  const server = await createServer({
    root,
    configFile: false,
    logLevel: 'error',
    appType: 'custom',
    server: { middlewareMode: true, hmr: false, ws: false, watch: null },
  });
  const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
  try {
    const mod = await runner.import(entry);
    const result = typeof mod.default === 'function' ? await mod.default(args) : undefined;
    return typeof result === 'number' ? result : 0;
  } finally {
    await runner.close();
    await server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, ...args] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node scripts/run-ts.mjs <file.ts> [args...]\n');
    process.exit(2);
  }
  try {
    const code = await runTs(file, args);
    // Exit explicitly: a tool that leaves a handle open (a socket, a child) must not hang here.
    process.exit(code);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
}
