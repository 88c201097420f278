import { KiB, makeFile, tag } from '../e2e-support/files';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { imagesNamed } from '../e2e-support/service';
import { chooseFiles, draftCard, ensureAccount, openApp, uploadOne } from '../e2e-support/ui';

test('a file already on the account says so on its card before Start, for that account only', async ({
  page,
}) => {
  const file = await makeFile(`fw-again-${tag()}.bin`, 300 * KiB);
  await openApp(page);
  const account = await ensureAccount(page);
  await uploadOne(page, file.path, file.name, account);
  const [image] = await imagesNamed(file.name);
  expect(image?.datafile_checksum).toBe(file.sha256);

  // The same bytes dropped again: hashed in the background, then looked up by SHA-256.
  await chooseFiles(page, [file.path]);
  const card = draftCard(page, file.name);
  await card.getByLabel('Account', { exact: true }).selectOption({ label: account });
  const warning = card.getByRole('status').filter({ hasText: 'Already on this account' });
  await expect(warning).toContainText(`Already on this account as “${file.name}”`);
  await expect(card.getByTitle(`SHA-256 ${file.sha256}`)).toBeVisible();
  await expect(card.getByRole('button', { name: 'Start upload' })).toBeVisible();
  await screenshot(page, 'draft-same-file');

  // The sandbox account has no such image: the warning is about the chosen account.
  await card.getByLabel('Account', { exact: true }).selectOption({ label: 'Sandbox (local)' });
  await expect(warning).toHaveCount(0);
  await card.getByLabel('Account', { exact: true }).selectOption({ label: account });
  await expect(warning).toBeVisible();
  await card.getByRole('button', { name: `Remove ${file.name}` }).click();
  await expect(card).toHaveCount(0);
});

test('an empty file shows its error on its card at once, never "Ready"', async ({ page }) => {
  const empty = await makeFile(`empty-${tag()}.bin`, 0);
  await openApp(page);
  await ensureAccount(page);
  await chooseFiles(page, [empty.path]);
  const card = draftCard(page, empty.name);
  await expect(card.getByRole('alert')).toHaveText(
    `"${empty.name}" is empty (0 bytes). The service cannot hold an empty image: choose the built image file.`,
  );
  await expect(card.getByRole('button', { name: 'Start upload' })).toBeDisabled();
  // The name check answers too; the card must still not call the file ready.
  await expect(card.getByText('Checking…')).toHaveCount(0);
  await expect(card.getByText('Ready', { exact: true })).toHaveCount(0);
  await screenshot(page, 'draft-empty-file');
  await card.getByRole('button', { name: `Remove ${empty.name}` }).click();
});
