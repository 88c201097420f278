import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { KiB, makeFile, MiB, tag } from '../e2e-support/files';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { imagesNamed, setBandwidth } from '../e2e-support/service';
import {
  chooseFiles,
  ensureAccount,
  go,
  openApp,
  prepareDraft,
  uploadCard,
  uploadOne,
} from '../e2e-support/ui';
import { parseCsv } from '../helpers/csv';

function localRow(page: Page, name: string) {
  return page
    .getByRole('list', { name: 'Uploads from this computer' })
    .getByRole('listitem')
    .filter({ hasText: name });
}

async function showLocalHistory(page: Page, account: string): Promise<void> {
  await go(page, 'History');
  await page.getByRole('tab', { name: 'Local uploads' }).click();
  await page.getByLabel('Account', { exact: true }).selectOption({ label: account });
}

test('Clear finished tidies the queue only; Delete history asks first, then removes the records', async ({
  page,
}) => {
  const file = await makeFile(`fw-kept-${tag()}.bin`, 200 * KiB);
  await openApp(page);
  const account = await ensureAccount(page);
  const card = await uploadOne(page, file.path, file.name, account);

  await page.getByRole('button', { name: 'Clear finished' }).click();
  await expect(card).toHaveCount(0);
  await expect(page.getByText(/History → Local uploads keeps (it|them)\./)).toBeVisible();

  // Still in the history, after a reload too (the service kept it, not just this page).
  await page.reload();
  await showLocalHistory(page, account);
  await expect(localRow(page, file.name)).toContainText('Verified ✓');
  await page.getByRole('tab', { name: 'Images (server)' }).click();
  await page.getByLabel('Search by name').fill(file.name);
  const image = page.getByRole('list', { name: 'Firmware images' }).getByRole('button', {
    name: file.name,
  });
  await expect(image).toContainText('Verified');
  await page.getByLabel('Search by name').fill('');

  await page.getByRole('tab', { name: 'Local uploads' }).click();
  await page.getByRole('button', { name: 'Delete history…' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete local history of “${account}”?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Uploads that are not finished are kept.');
  await expect(dialog).toContainText('“Uploaded elsewhere · not verified here”');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await screenshot(page, 'history-delete-confirm');
  // Cancel keeps everything.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(localRow(page, file.name)).toBeVisible();

  await page.getByRole('button', { name: 'Delete history…' }).click();
  await dialog.getByRole('button', { name: /^Delete \d+ records?$/ }).click();
  await expect(dialog).toBeHidden();
  await expect(localRow(page, file.name)).toHaveCount(0);
  await expect(
    page.getByText(/Deleted \d+ finished uploads? from the local history\./),
  ).toBeVisible();
  // The image itself is untouched on the service.
  expect(await imagesNamed(file.name)).toHaveLength(1);
});

test('History exports the local uploads as CSV and JSON downloads with every column', async ({
  page,
}) => {
  const file = await makeFile(`fw-audit-${tag()}.bin`, 150 * KiB);
  await openApp(page);
  const account = await ensureAccount(page);
  await uploadOne(page, file.path, file.name, account);
  const [image] = await imagesNamed(file.name);

  await showLocalHistory(page, account);
  for (const width of [880, 1024, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    // The actions fit beside the filters or wrap below them; none is pushed out of the window.
    for (const name of ['Export CSV', 'Export JSON', 'Delete history…']) {
      const box = await page.getByRole('button', { name }).boundingBox();
      expect(box && box.x + box.width, `${name} at ${width} px`).toBeLessThanOrEqual(width);
    }
    await screenshot(page, `history-local-actions-${width}`);
  }
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(/^firmdrop-history-\d{4}-\d{2}-\d{2}\.csv$/);
  const [header, ...records] = parseCsv(await readFile((await csv.path()) as string, 'utf8'));
  const rows = records.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]])));
  const row = rows.find((r) => r.image_name === file.name);
  expect(row).toEqual({
    file: file.name,
    image_name: file.name,
    account,
    region: expect.any(String),
    size_bytes: String(file.size),
    sha256: file.sha256,
    image_id: image?.id,
    datafile_url: image?.datafile,
    verified: 'true',
    started_at: expect.stringMatching(/^\d{4}-.+Z$/),
    finished_at: expect.stringMatching(/^\d{4}-.+Z$/),
    status: 'done',
    group_id: '',
  });
  await expect(page.getByText(/Exported \d+ uploads? as CSV\./)).toBeVisible();

  const jsonDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const json = JSON.parse(
    await readFile((await (await jsonDownload).path()) as string, 'utf8'),
  ) as Array<Record<string, unknown>>;
  expect(json.find((r) => r.image_name === file.name)).toMatchObject({
    sha256: file.sha256,
    size_bytes: file.size,
    verified: true,
    image_id: image?.id,
  });
  // Only the chosen account's uploads.
  expect(new Set(json.map((r) => r.account))).toEqual(new Set([account]));
});

test('the "interrupted uploads" banner goes once the upload it names is resumed', async ({
  page,
}) => {
  const file = await makeFile(`fw-banner-${tag()}.bin`, 12 * MiB);
  await openApp(page);
  const account = await ensureAccount(page);
  await setBandwidth(2 * MiB);
  try {
    await chooseFiles(page, [file.path]);
    const draft = await prepareDraft(page, file.name, account);
    await draft.getByRole('button', { name: 'Start upload' }).click();
    const card = uploadCard(page, file.name);
    await card.getByRole('button', { name: `Pause ${file.name}` }).click();
    await expect(card.getByText('Paused', { exact: true })).toBeVisible();

    // A new page finds it waiting, as after a restart.
    await page.reload();
    const banner = page.getByText(/\d+ interrupted uploads? found\./);
    await expect(banner).toBeVisible();
    // Other tests may have left uploads waiting too: this one's resume takes one off the count.
    const before = Number((await banner.textContent())?.match(/\d+/)?.[0]);
    await screenshot(page, 'interrupted-banner');
    await setBandwidth(null);
    await uploadCard(page, file.name)
      .getByRole('button', { name: `Resume ${file.name}` })
      .click();
    await expect(uploadCard(page, file.name).getByText('Verified ✓ SHA-256 matches')).toBeVisible({
      timeout: 30_000,
    });
    // Resumed from its own card: the banner has nothing left to offer for it.
    if (before === 1) await expect(banner).toHaveCount(0);
    else await expect(banner).toContainText(`${before - 1} interrupted upload`);
  } finally {
    await setBandwidth(null);
  }
});
