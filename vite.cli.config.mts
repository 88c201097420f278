import { resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The `firmdrop` CLI (and the web shell and sandbox it starts) as one CommonJS file for plain
// Node 20. Runtime dependencies stay external so native modules load from node_modules.
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies),
];

export default defineConfig({
  build: {
    ssr: true,
    target: 'node20',
    outDir: resolve(import.meta.dirname, 'out/cli'),
    emptyOutDir: true,
    sourcemap: true,
    minify: false,
    rolldownOptions: {
      input: {
        firmdrop: resolve(import.meta.dirname, 'src-main/shells/cli/main.ts'),
        // The chunk reader's worker thread, emitted beside firmdrop.cjs where the reader looks for it.
        'chunk-worker': resolve(import.meta.dirname, 'src-main/upload/chunk-worker.ts'),
      },
      external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
      output: {
        format: 'cjs',
        entryFileNames: '[name].cjs',
        // Only the command is run directly; the worker is loaded by path.
        banner: (chunk) => (chunk.name === 'firmdrop' ? '#!/usr/bin/env node' : ''),
      },
    },
  },
});
