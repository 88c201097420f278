import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The project keeps src-main/ and src-renderer/ (see DESIGN.md), so every entry is explicit.
export default defineConfig({
  main: {
    build: {
      // keytar is an optional dependency (its native build needs libsecret-1-dev); electron-vite
      // externalizes only `dependencies` by itself.
      externalizeDeps: { include: ['keytar'] },
      lib: {
        entry: {
          main: resolve(__dirname, 'src-main/shells/electron/main.ts'),
          // The chunk reader's worker thread, emitted beside main.js where the reader looks for it.
          'chunk-worker': resolve(__dirname, 'src-main/upload/chunk-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      lib: { entry: resolve(__dirname, 'src-main/shells/electron/preload.ts') },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [svelte({ configFile: resolve(__dirname, 'svelte.config.mjs') })],
    build: {
      rolldownOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
});
