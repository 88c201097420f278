/**
 * Makes every icon file the app needs from resources/icon.svg:
 *   resources/icons/NxN.png (Linux packages and the window), resources/icon.png (1024 px),
 *   resources/icon.ico (Windows), resources/icon.icns (macOS).
 * Chromium (through Playwright, as the end-to-end tests drive it) draws the SVG at each size,
 * so small sizes are rendered from the vector rather than scaled down from a bitmap.
 * Run: npm run icons   (the outputs are committed; run again after changing the SVG)
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { writeIcns, writeIco } from './icon-containers';
import type { IconImage } from './icon-containers';

const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024];

export default async function makeIcons(): Promise<number> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const resources = join(root, 'resources');
  const svg = await readFile(join(resources, 'icon.svg'));
  const browser = await chromium.launch({
    executablePath: process.env.FIRMDROP_CHROMIUM ?? '/usr/lib/chromium/chromium',
  });
  const images: IconImage[] = [];
  try {
    const page = await browser.newPage();
    const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
    for (const size of PNG_SIZES) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<html><body style="margin:0"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
      );
      await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      const png = await page.screenshot({ omitBackground: true, type: 'png' });
      images.push({ size, png });
    }
  } finally {
    await browser.close();
  }
  await mkdir(join(resources, 'icons'), { recursive: true });
  for (const { size, png } of images) {
    await writeFile(join(resources, 'icons', `${size}x${size}.png`), png);
  }
  const pick = (sizes: number[]) => images.filter((i) => sizes.includes(i.size));
  await writeFile(join(resources, 'icon.png'), pick([1024])[0]?.png ?? Buffer.alloc(0));
  await writeFile(join(resources, 'icon.ico'), writeIco(pick(ICO_SIZES)));
  await writeFile(join(resources, 'icon.icns'), writeIcns(pick(ICNS_SIZES)));
  process.stdout.write(`Wrote ${images.length} PNGs, icon.ico and icon.icns in ${resources}\n`);
  return 0;
}
