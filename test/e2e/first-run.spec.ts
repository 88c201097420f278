import { e2eEnv } from '../e2e-support/env';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { go, openApp } from '../e2e-support/ui';

test('first run offers the built-in "Sandbox (local)" account and nothing else', async ({
  page,
}) => {
  // The fresh app: its data folder is new and no other test touches it.
  await openApp(page, e2eEnv().freshAppUrl);
  await expect(page.getByRole('heading', { level: 1, name: 'Firmdrop' })).toBeVisible();
  const chooser = page.getByLabel('New uploads go to');
  await expect(chooser.locator('option:checked')).toHaveText('Sandbox (local)');
  await expect(page.getByText(/Sandbox \(local\)\s+is for trying Firmdrop/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'add your Izuma account' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Choose files…' })).toBeVisible();
  await expect(page.getByText('web shell')).toBeVisible();
  await screenshot(page, 'first-run-upload');

  await go(page, 'Accounts');
  const cards = page.getByRole('article');
  await expect(cards).toHaveCount(1);
  const sandbox = page.getByRole('article', { name: /^Sandbox \(local\)/ });
  await expect(sandbox.getByText('Local only, no key needed')).toBeVisible();
  await expect(sandbox.getByText('Commercial · 1,000 images')).toBeVisible();
  await expect(sandbox.getByText(/Images\s*0 of 1,000/)).toBeVisible();
});
