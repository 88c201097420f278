import { expect, screenshot, test } from '../e2e-support/fixtures';
import { go, openApp } from '../e2e-support/ui';

test('the Settings screen shows its groups with the saved values', async ({ page }) => {
  await openApp(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await go(page, 'Settings');
  for (const group of ['Uploads', 'Network', 'Appearance']) {
    await expect(page.getByRole('heading', { level: 3, name: group })).toBeVisible();
  }
  await expect(page.getByRole('spinbutton', { name: 'Chunk size' })).toHaveValue('16');
  await expect(page.getByRole('spinbutton', { name: 'Small-upload threshold' })).toHaveValue('8');
  await expect(page.getByRole('radio', { name: 'Follow the system' })).toBeChecked();
  await screenshot(page, 'settings');
});

test.describe('with the system in dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('the Upload screen follows it', async ({ page }) => {
    await openApp(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const background = await page
      .locator('body')
      .evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(background, 'a dark page background').toMatch(/^rgb\((\d|[1-5]\d), /);
    await screenshot(page, 'upload-dark');
  });
});
