/**
 * Vitest global setup: builds the chunk reader's worker (src-main/upload/chunk-worker.ts) to
 * JavaScript once per run and names it in FIRMDROP_CHUNK_WORKER. Tests run the TypeScript sources,
 * where there is no built worker beside chunk-reader.ts, and Node 20 cannot run a .ts worker; this
 * keeps the unit and integration tests free of any earlier `npm run build`.
 *
 * Set here, in the main vitest process, before the test forks start: they inherit it. (CLI tests
 * strip FIRMDROP_* from the children they spawn, so the built CLI still uses its own bundled worker.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { CHUNK_WORKER_ENV } from '../../src-main/upload/chunk-reader';

const root = resolve(import.meta.dirname, '../..');

export default async function setup(): Promise<() => void> {
  // A private folder per run, so two test runs at once never overwrite each other's worker.
  const outDir = mkdtempSync(join(tmpdir(), 'firmdrop-chunk-worker-'));
  // The same shape as the CLI bundle's entry (vite.cli.config.mts): one CommonJS file for Node.
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      ssr: true,
      target: 'node20',
      outDir,
      emptyOutDir: false,
      minify: false,
      rolldownOptions: {
        input: { 'chunk-worker': join(root, 'src-main/upload/chunk-worker.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  });
  process.env[CHUNK_WORKER_ENV] = join(outDir, 'chunk-worker.cjs');
  return () => rmSync(outDir, { recursive: true, force: true });
}
