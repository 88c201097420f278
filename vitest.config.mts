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
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
