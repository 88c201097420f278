import { makeFile, MiB, KiB, tag } from '../e2e-support/files';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { downloadDatafile, imagesNamed } from '../e2e-support/service';
import {
  chooseFiles,
  ensureAccount,
  expectVerified,
  openApp,
  prepareDraft,
  uploadCard,
} from '../e2e-support/ui';

test('two files chosen in the picker go up, are verified, and are on the service byte for byte', async ({
  page,
}) => {
  const t = tag();
  const small = await makeFile(`fw-small-${t}.bin`, 200 * KiB);
  const large = await makeFile(`fw-large-${t}.bin`, 12 * MiB);
  await openApp(page);
  const account = await ensureAccount(page);

  await chooseFiles(page, [small.path, large.path]);
  for (const file of [small, large]) await prepareDraft(page, file.name, account);
  await page.getByRole('button', { name: 'Start 2 of 2' }).click();

  for (const file of [small, large]) {
    const card = uploadCard(page, file.name);
    await expectVerified(card);
    await expect(card.getByText(`${file.name} · ${account}`)).toBeVisible();
    await expect(card.getByTitle(file.sha256)).toBeVisible();
  }
  await expect(uploadCard(page, large.name)).toContainText('resumable job');
  await screenshot(page, 'upload-queue-finished');

  for (const file of [small, large]) {
    const images = await imagesNamed(file.name);
    expect(images, `images named ${file.name}`).toHaveLength(1);
    expect(images[0]?.datafile_size).toBe(file.size);
    expect(images[0]?.datafile_checksum).toBe(file.sha256);
  }
  const [stored] = await imagesNamed(large.name);
  const bytes = await downloadDatafile(stored?.datafile ?? '');
  expect(bytes?.equals(large.data), 'the datafile is the file, byte for byte').toBe(true);
  await expect(uploadCard(page, large.name).getByTitle(stored?.datafile ?? '')).toBeVisible();
});
