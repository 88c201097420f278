import { chmodSync } from 'node:fs';
import { resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { defineConfig, type Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The `firmdrop` CLI (and the web shell and sandbox it starts) as one CommonJS file for plain
// Node 20. Runtime dependencies stay external so native modules load from node_modules.
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies),
  ...Object.keys(pkg.optionalDependencies),
];

// `npx firmdrop` in this project runs the project's own `bin` file directly, and npm sets the
// mode of dependencies' bins only: without this, a fresh build answered "Permission denied".
function executableCli(): Plugin {
  return {
    name: 'firmdrop-executable-cli',
    writeBundle(options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && file.name === 'firmdrop' && options.dir) {
          chmodSync(resolve(options.dir, file.fileName), 0o755);
        }
      }
    },
  };
}

export default defineConfig({
  plugins: [executableCli()],
  // `firmdrop --version`: the version is fixed when the bundle is built, not read at run time.
  define: { __FIRMDROP_VERSION__: JSON.stringify(pkg.version) },
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
