import { KiB, makeFile, tag } from '../e2e-support/files';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { layoutProblems } from '../e2e-support/layout';
import { imagesNamed } from '../e2e-support/service';
import {
  chooseFiles,
  draftCard,
  ensureAccount,
  expectVerified,
  openApp,
  uploadCard,
  uploadOne,
} from '../e2e-support/ui';

test('one action gives every draft the account and description; one click takes all free names', async ({
  page,
}) => {
  const t = tag();
  // Two builds already on the account under their file names, then a batch with the same names.
  const first = await makeFile(`fw-radio-${t}.bin`, 100 * KiB);
  const second = await makeFile(`fw-sensor-${t}.bin`, 120 * KiB);
  await openApp(page);
  const account = await ensureAccount(page);
  await uploadOne(page, first.path, first.name, account);
  await uploadOne(page, second.path, second.name, account);

  const batch = [
    await makeFile(first.name, 101 * KiB),
    await makeFile(second.name, 121 * KiB),
    await makeFile(`fw-gateway-${t}.bin`, 80 * KiB),
  ];
  await chooseFiles(
    page,
    batch.map((f) => f.path),
  );
  const cards = batch.map((f) => draftCard(page, f.name));
  for (const card of cards) await expect(card).toBeVisible();
  // One card pointed elsewhere by hand: the batch action must bring it back.
  await cards[2]?.getByLabel('Account', { exact: true }).selectOption({ label: 'Sandbox (local)' });

  const all = page.getByRole('form', { name: 'All drafts' });
  await all.getByLabel('Account for all').selectOption({ label: account });
  await all.getByLabel('Description for all').fill(`Release ${t} for the field trial`);
  await all.getByRole('button', { name: 'Apply to all 3' }).click();
  for (const card of cards) {
    await expect(card.getByLabel('Account', { exact: true }).locator('option:checked')).toHaveText(
      account,
    );
    await expect(card.getByLabel(/^Description/)).toHaveValue(`Release ${t} for the field trial`);
  }

  // The two taken names have suggestions; one click takes both.
  const useAll = all.getByRole('button', { name: 'Use all 2 suggested names' });
  await expect(useAll).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start 1 of 3' })).toBeVisible();
  await screenshot(page, 'batch-drafts');
  expect(
    await layoutProblems(page, all, { within: 'main' }),
    'the batch bar and cards at 1280 px',
  ).toEqual([]);
  await useAll.click();
  await expect(draftCard(page, batch[0]?.name ?? '').getByLabel('Image name')).toHaveValue(
    `${first.name} (2)`,
  );
  await expect(draftCard(page, batch[1]?.name ?? '').getByLabel('Image name')).toHaveValue(
    `${second.name} (2)`,
  );
  await expect(useAll).toHaveCount(0);

  await page.getByRole('button', { name: 'Start 3 of 3' }).click();
  const names = [`${first.name} (2)`, `${second.name} (2)`, batch[2]?.name ?? ''];
  for (const name of names) await expectVerified(uploadCard(page, name));
  for (const [i, name] of names.entries()) {
    const [image] = await imagesNamed(name);
    expect(image?.description).toBe(`Release ${t} for the field trial`);
    expect(image?.datafile_checksum).toBe(batch[i]?.sha256);
  }
});

test('at 880 px the batch bar and draft cards fit', async ({ page }) => {
  await page.setViewportSize({ width: 880, height: 760 });
  const files = [
    await makeFile(`bootloader-nrf52840-secure-v2.14.3-rc1-${tag()}.bin`, 10 * KiB),
    await makeFile(`application-nrf52840-secure-v2.14.3-rc1-${tag()}.bin`, 10 * KiB),
  ];
  await openApp(page);
  await ensureAccount(page);
  await chooseFiles(
    page,
    files.map((f) => f.path),
  );
  const all = page.getByRole('form', { name: 'All drafts' });
  for (const f of files) await expect(draftCard(page, f.name).getByText('Ready')).toBeVisible();
  await screenshot(page, 'fit-880-upload-batch');
  expect(await layoutProblems(page, all, { within: 'main' })).toEqual([]);
  for (const f of files) {
    await draftCard(page, f.name)
      .getByRole('button', { name: `Remove ${f.name}` })
      .click();
  }
});
