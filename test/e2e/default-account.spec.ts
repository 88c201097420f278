import type { Page } from '@playwright/test';
import { KiB, makeFile, MiB, tag } from '../e2e-support/files';
import { e2eEnv } from '../e2e-support/env';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { setBandwidth } from '../e2e-support/service';
import {
  accountCard,
  chooseFiles,
  draftCard,
  ensureAccount,
  fillAccountForm,
  go,
  openApp,
  prepareDraft,
  uploadCard,
} from '../e2e-support/ui';

const chooser = (page: Page) => page.getByLabel('New uploads go to');

async function chosenLabel(page: Page): Promise<string> {
  return chooser(page).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text ?? '');
}

test('new drafts go to the default account; adding an account never changes it', async ({
  page,
}) => {
  const env = e2eEnv();
  await openApp(page);
  const shared = await ensureAccount(page);
  await expect(chooser(page)).toBeVisible();
  const before = await chosenLabel(page);
  expect(before).not.toBe('');

  // A new account whose name sorts first: before this change it took every new draft.
  const added = `Aa lab ${tag()}`;
  await go(page, 'Accounts');
  await fillAccountForm(page, { name: added, baseUrl: env.sandboxUrl, apiKey: env.sandboxKey });
  await expect(accountCard(page, added)).toBeVisible();
  await go(page, 'Upload');
  expect(await chosenLabel(page)).toBe(before);

  // Marked on the Accounts screen, it shows on the Upload screen and in a new draft.
  await go(page, 'Accounts');
  await accountCard(page, shared)
    .getByRole('button', { name: `Make ${shared} the default` })
    .click();
  await expect(accountCard(page, shared).getByText('Default for new uploads')).toBeVisible();
  await screenshot(page, 'accounts-default');
  await go(page, 'Upload');
  await expect.poll(() => chosenLabel(page)).toBe(shared);
  const file = await makeFile(`fw-default-${tag()}.bin`, 64 * KiB);
  await chooseFiles(page, [file.path]);
  const draft = draftCard(page, file.name);
  await expect(draft.getByLabel('Account', { exact: true })).toHaveValue(
    await chooser(page).inputValue(),
  );
  for (const width of [880, 1024, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    const box = await chooser(page).boundingBox();
    expect(box && box.x + box.width, `the chooser at ${width} px`).toBeLessThanOrEqual(width);
    await screenshot(page, `upload-default-account-${width}`);
  }
  await draft.getByRole('button', { name: `Remove ${file.name}` }).click();
  await expect(draft).toHaveCount(0);

  // The chooser on the Upload screen sets it too, and it is remembered.
  await chooser(page).selectOption({ label: added });
  await page.reload();
  await expect.poll(() => chosenLabel(page)).toBe(added);
  await chooser(page).selectOption({ label: shared });
  await expect.poll(() => chosenLabel(page)).toBe(shared);

  // Removing the account added here: no dialog text about paused uploads, and its history goes.
  await go(page, 'Accounts');
  await accountCard(page, added)
    .getByRole('button', { name: `Remove ${added}` })
    .click();
  const dialog = page.getByRole('dialog', { name: `Remove “${added}”?` });
  await expect(dialog).toContainText('Images and upload jobs on the service stay there.');
  await expect(dialog).not.toContainText('paused');
  await dialog.getByRole('button', { name: 'Remove account' }).click();
  await expect(accountCard(page, added)).toHaveCount(0);
});

test('removing an account with an unfinished upload says it is refused and how to fix it', async ({
  page,
}) => {
  const env = e2eEnv();
  await openApp(page);
  await ensureAccount(page);
  const name = `Removable ${tag()}`;
  await go(page, 'Accounts');
  await fillAccountForm(page, { name, baseUrl: env.sandboxUrl, apiKey: env.sandboxKey });
  await expect(accountCard(page, name)).toBeVisible();
  await go(page, 'Upload');

  const file = await makeFile(`fw-removal-${tag()}.bin`, 12 * MiB);
  await setBandwidth(2 * MiB);
  try {
    await chooseFiles(page, [file.path]);
    const draft = await prepareDraft(page, file.name, name);
    await draft.getByRole('button', { name: 'Start upload' }).click();
    const card = uploadCard(page, file.name);
    await card.getByRole('button', { name: `Pause ${file.name}` }).click();
    await expect(card.getByText('Paused', { exact: true })).toBeVisible();

    await go(page, 'Accounts');
    await accountCard(page, name)
      .getByRole('button', { name: `Remove ${name}` })
      .click();
    const refused = page.getByRole('dialog', { name: `“${name}” cannot be removed yet` });
    await expect(refused).toContainText('1 upload to this account is not finished.');
    await expect(refused).toContainText('cancel it');
    await screenshot(page, 'account-remove-refused');
    await refused.getByRole('button', { name: 'Show the uploads' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Upload' })).toBeVisible();

    // Cancelled (its undo window run out), the account can go; the dialog says its history goes.
    await card.getByRole('button', { name: `Cancel ${file.name}` }).click();
    await expect(card.getByText('Cancelled', { exact: true })).toBeVisible({ timeout: 15_000 });
    await go(page, 'Accounts');
    await accountCard(page, name)
      .getByRole('button', { name: `Remove ${name}` })
      .click();
    const confirm = page.getByRole('dialog', { name: `Remove “${name}”?` });
    await expect(confirm).toContainText('Its local history — 1 upload record from this computer');
    await expect(confirm.getByRole('button', { name: 'Export its history (CSV)' })).toBeVisible();
    await screenshot(page, 'account-remove-confirm');
    await confirm.getByRole('button', { name: 'Remove account' }).click();
    await expect(accountCard(page, name)).toHaveCount(0);
  } finally {
    await setBandwidth(null);
  }
});
