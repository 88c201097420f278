import type { Page } from '@playwright/test';
import { makeFile, MiB, tag } from '../e2e-support/files';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { imagesNamed, sandboxState, setBandwidth } from '../e2e-support/service';
import {
  chooseFiles,
  ensureAccount,
  expectVerified,
  go,
  openApp,
  prepareDraft,
  uploadCard,
} from '../e2e-support/ui';

async function setChunkSize(page: Page, mib: number): Promise<void> {
  await go(page, 'Settings');
  const field = page.getByRole('spinbutton', { name: 'Chunk size' });
  await field.fill(String(mib));
  await field.press('Tab');
  await expect(page.locator('#setting-chunkSizeMiB-status')).toHaveText('Saved');
  await go(page, 'Upload');
}

test('a throttled upload pauses (nothing more is sent), resumes and is verified', async ({
  page,
}) => {
  const file = await makeFile(`fw-pause-${tag()}.bin`, 20 * MiB);
  await openApp(page);
  const account = await ensureAccount(page);
  // 5 MiB chunks make four acknowledgements, so "some progress" shows well before the end.
  await setChunkSize(page, 5);
  await setBandwidth(5 * MiB);
  try {
    await chooseFiles(page, [file.path]);
    const draft = await prepareDraft(page, file.name, account);
    await draft.getByRole('button', { name: 'Start upload' }).click();
    const card = uploadCard(page, file.name);
    const bar = card.getByRole('progressbar', { name: `Progress of ${file.name}` });
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 15_000 })
      // The bar counts bytes on the wire: past 25 % the first chunk is acknowledged.
      .toBeGreaterThan(25);

    await card.getByRole('button', { name: `Pause ${file.name}` }).click();
    await expect(card.getByText('Paused', { exact: true })).toBeVisible();
    await expect(card.getByRole('button', { name: `Resume ${file.name}` })).toBeVisible();
    const held = Number(await bar.getAttribute('aria-valuenow'));
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(100);
    await screenshot(page, 'upload-paused');
    // Paused means paused: over a second and a half the service receives nothing more.
    const before = (await sandboxState()).stats.bytesAppended;
    await page.waitForTimeout(1500);
    expect((await sandboxState()).stats.bytesAppended).toBe(before);
    await expect(bar).toHaveAttribute('aria-valuenow', String(held));

    await card.getByRole('button', { name: `Resume ${file.name}` }).click();
    await expectVerified(card);
  } finally {
    await setBandwidth(null);
    await setChunkSize(page, 16);
  }
  const images = await imagesNamed(file.name);
  expect(images).toHaveLength(1);
  expect(images[0]?.datafile_size).toBe(file.size);
  expect(images[0]?.datafile_checksum).toBe(file.sha256);
});
