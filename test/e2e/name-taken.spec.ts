import { KiB, makeFile, tag } from '../e2e-support/files';
import { expect, test } from '../e2e-support/fixtures';
import { imagesNamed } from '../e2e-support/service';
import {
  chooseFiles,
  ensureAccount,
  expectVerified,
  openApp,
  draftCard,
  uploadCard,
  uploadOne,
} from '../e2e-support/ui';

test('a name already on the account is flagged with a free one, taken in one click', async ({
  page,
}) => {
  const name = `fw-taken-${tag()}.bin`;
  const first = await makeFile(name, 64 * KiB);
  const second = await makeFile(name, 96 * KiB); // same name, other bytes, other folder
  const suggested = `${name} (2)`;
  await openApp(page);
  const account = await ensureAccount(page);
  await uploadOne(page, first.path, name, account);

  await chooseFiles(page, [second.path]);
  const card = draftCard(page, name);
  await card.getByLabel('Account', { exact: true }).selectOption({ label: account });
  const nameField = card.getByLabel('Image name');
  await expect(nameField).toHaveAttribute('aria-invalid', 'true');
  await expect(card).toContainText(
    `The name "${name}" is already used by a firmware image of this account. Use "${suggested}" instead`,
  );
  await expect(card.getByRole('button', { name: 'Start upload' })).toBeDisabled();
  await expect(card.getByText('Ready', { exact: true })).toHaveCount(0);

  await card.getByRole('button', { name: `Use ‘${suggested}’` }).click();
  await expect(nameField).toHaveValue(suggested);
  await expect(card.getByText('Ready', { exact: true })).toBeVisible();
  await card.getByRole('button', { name: 'Start upload' }).click();
  await expectVerified(uploadCard(page, suggested));

  const [original] = await imagesNamed(name);
  const renamed = await imagesNamed(suggested);
  expect(original?.datafile_checksum, 'the first image is untouched').toBe(first.sha256);
  expect(renamed).toHaveLength(1);
  expect(renamed[0]?.datafile_size).toBe(second.size);
  expect(renamed[0]?.datafile_checksum).toBe(second.sha256);
});
