import { randomBytes } from 'node:crypto';
import { e2eEnv } from '../e2e-support/env';
import { tag } from '../e2e-support/files';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { accountCard, addAccountForm, fillAccountForm, go, openApp } from '../e2e-support/ui';

test('a wrong key is refused by name and never shown again; the right one lists the account with tier and quota', async ({
  page,
}) => {
  const env = e2eEnv();
  const name = `Staging ${tag()}`;
  const wrongKey = `ak_wrong_${randomBytes(12).toString('hex')}`;
  const host = new URL(env.sandboxUrl).host;
  await openApp(page);
  await go(page, 'Accounts');
  const form = addAccountForm(page);

  await fillAccountForm(page, { name, baseUrl: env.sandboxUrl, apiKey: wrongKey });
  const problem = form.getByRole('alert');
  await expect(problem).toContainText(`${host} refused this API key`);
  await expect(problem).toContainText('region');
  await expect(form.getByLabel('API key')).toHaveValue('');
  expect(await page.content()).not.toContain(wrongKey);
  await expect(accountCard(page, name)).toHaveCount(0);

  // The name and URL are kept; only the key has to be given again.
  await expect(form.getByLabel('Name in Firmdrop')).toHaveValue(name);
  await form.getByLabel('API key').fill(env.sandboxKey);
  await form.getByRole('button', { name: 'Add account' }).click();
  await expect(form.getByRole('status')).toHaveText(`Added “${name}”. Its key is in the keychain.`);
  await expect(form.getByLabel('API key')).toHaveValue('');
  expect(await page.content()).not.toContain(env.sandboxKey);

  const card = accountCard(page, name);
  await expect(card).toBeVisible();
  await expect(card.getByText('Commercial · 1,000 images')).toBeVisible();
  await expect(card.getByText('Key in OS keychain')).toBeVisible();
  await expect(card.getByText(host)).toBeVisible();
  await expect(card.getByRole('progressbar', { name: 'Image quota used' })).toBeVisible();
  await expect(card.getByText(/Images\s*\d+ of 1,000/)).toBeVisible();
  await screenshot(page, 'accounts');
});
