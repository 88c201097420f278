import { test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { e2eEnv } from './env';

/**
 * Every test's page reports its console errors and uncaught page errors; a test that saw any
 * fails, with them listed.
 */
export const test = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    await use(page);
    expect(errors, 'console and page errors during the test').toEqual([]);
  },
});

export { expect };

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(e2eEnv().screensDir, `${name}.png`) });
}
