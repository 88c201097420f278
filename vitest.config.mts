import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The Svelte plugin compiles rune modules (*.svelte.ts) for the renderer's state tests.
  plugins: [svelte({ configFile: './svelte.config.mjs' })],
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/reliability/**/*.test.ts',
    ],
    environment: 'node',
    // Builds the chunk reader's worker thread once: tests run sources, a Worker needs JavaScript.
    globalSetup: ['test/setup/chunk-worker.ts'],
    pool: 'forks',
    // Both cores: most files spend their time waiting on sandboxes, sockets and child processes,
    // and Vitest's default on a 2-core machine (one worker) took the suite past 11 minutes.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
