import { defineConfig } from '@playwright/test';

// Debian's Chromium stands in for Playwright's browser download, which cannot be fetched here.
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  timeout: 60_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.FIRMDROP_CHROMIUM ?? '/usr/lib/chromium/chromium',
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'npx vite preview --outDir out/renderer --port 4391 --strictPort --host 127.0.0.1',
    url: 'http://127.0.0.1:4391/',
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
