import { defineConfig } from '@playwright/test';

// The global setup starts the real app (behind its loopback web shell) and a standalone sandbox
// in the runner's own process; tests share them, one at a time.
// Debian's Chromium stands in for Playwright's browser download, which cannot be fetched here.
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  globalSetup: './test/e2e-support/global-setup.ts',
  timeout: 60_000,
  // About 3 minutes on a CI machine; the bound only stops a run that hangs.
  globalTimeout: 10 * 60_000,
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    trace: 'retain-on-failure',
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
});
