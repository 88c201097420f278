import { KiB, makeFile, tag } from '../e2e-support/files';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { downloadDatafile, imagesNamed } from '../e2e-support/service';
import { ensureAccount, go, openApp, uploadOne } from '../e2e-support/ui';

test('History lists the server image with its details and deletes it after confirmation', async ({
  page,
}) => {
  const file = await makeFile(`fw-history-${tag()}.bin`, 300 * KiB);
  await openApp(page);
  const account = await ensureAccount(page);
  await uploadOne(page, file.path, file.name, account);
  const [image] = await imagesNamed(file.name);
  expect(image).toBeDefined();

  await go(page, 'History');
  await page.getByRole('tab', { name: 'Images (server)' }).click();
  await page.getByLabel('Account', { exact: true }).selectOption({ label: account });
  await page.getByLabel('Search by name').fill(file.name);
  const list = page.getByRole('list', { name: 'Firmware images' });
  const row = list.getByRole('button', { name: file.name });
  await expect(row).toBeVisible();
  await expect(row).toContainText('300.0 KiB');
  await expect(row).toContainText('Verified');

  await row.click();
  const details = page.getByRole('complementary', { name: file.name });
  await expect(details).toBeVisible();
  await expect(details.getByText('Verified ✓ SHA-256 matches')).toBeVisible();
  await expect(details.getByTitle(image?.datafile ?? '')).toHaveText(image?.datafile ?? '');
  await expect(details.getByText(file.sha256, { exact: true })).toBeVisible();
  await expect(details).toContainText(`(${file.size.toLocaleString('en-US')} bytes)`);
  await expect(details.getByText(image?.id ?? '', { exact: true })).toBeVisible();
  await screenshot(page, 'history-details');

  await details.getByRole('button', { name: 'Delete image…' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete “${file.name}”?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Delete image' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await expect(details).toBeHidden();
  await expect(page.getByText('No images on this account match.')).toBeVisible();

  expect(await imagesNamed(file.name)).toEqual([]);
  expect(await downloadDatafile(image?.datafile ?? ''), 'the datafile is gone too').toBeNull();
});
