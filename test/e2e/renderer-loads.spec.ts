import { expect, test } from '@playwright/test';

test('the built renderer loads under its CSP and shows the product name', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto('http://127.0.0.1:4391/');
  await expect(page.getByRole('heading', { name: 'Firmdrop' })).toBeVisible();
  await page.screenshot({ path: 'test/artifacts/screens/renderer-loads.png' });
  expect(errors).toEqual([]);
});
