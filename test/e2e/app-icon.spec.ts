import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../e2e-support/fixtures';
import { openApp } from '../e2e-support/ui';

test('the web shell serves the app icon as the page favicon, within its content policy', async ({
  page,
}) => {
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  await openApp(page);
  const href = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(href).toMatch(/\.svg$/);
  const url = new URL(href ?? '', page.url()).toString();
  // The same request the browser makes for the tab's icon, with the page's session cookie.
  const response = await page.request.get(url);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('image/svg+xml');
  const source = readFileSync(join(__dirname, '../../resources/icon.svg'), 'utf8');
  expect(await response.text()).toBe(source);
  // The page's CSP allows it (img-src 'self'): it decodes as an image in the page itself.
  const size = await page.evaluate(async (src) => {
    const img = new Image();
    img.src = src;
    await img.decode();
    return img.naturalWidth;
  }, url);
  expect(size).toBeGreaterThan(0);
  expect(failed).toEqual([]);
});
