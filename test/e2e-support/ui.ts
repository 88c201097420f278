/**
 * What a user does, in the words the screens use: accessible roles, labels and texts only.
 */
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';
import { e2eEnv } from './env';

export type ScreenName = 'Upload' | 'History' | 'Accounts' | 'Settings';

/** Uploads over loopback take a second or two; a throttled or faulted one a few more. */
export const UPLOAD_TIMEOUT = 30_000;

export async function openApp(page: Page, url = e2eEnv().appUrl): Promise<void> {
  await page.goto(url);
  await expect(screenHeading(page, 'Upload')).toBeVisible();
}

export function screenHeading(page: Page, screen: ScreenName): Locator {
  return page.getByRole('heading', { level: 2, name: screen, exact: true });
}

export async function go(page: Page, screen: ScreenName): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: screen })
    .click();
  await expect(screenHeading(page, screen)).toBeVisible();
}

export function addAccountForm(page: Page): Locator {
  return page.getByRole('form', { name: 'Add an account' });
}

export async function fillAccountForm(
  page: Page,
  o: { name: string; baseUrl: string; apiKey: string },
): Promise<void> {
  const form = addAccountForm(page);
  await form.getByLabel('Name in Firmdrop').fill(o.name);
  await form.getByRole('radio', { name: 'Custom URL' }).check();
  await form.getByLabel('API base URL').fill(o.baseUrl);
  await form.getByLabel('API key').fill(o.apiKey);
  await form.getByRole('button', { name: 'Add account' }).click();
}

export function accountCard(page: Page, name: string): Locator {
  return page.getByRole('article', { name, exact: true });
}

/** The shared account on the stand-in service, added through the form unless already there. */
export async function ensureAccount(page: Page): Promise<string> {
  const env = e2eEnv();
  await go(page, 'Accounts');
  // The list arrives after the screen: the built-in sandbox card says it has.
  await expect(page.getByRole('article', { name: /^Sandbox \(local\)/ })).toBeVisible();
  const card = accountCard(page, env.accountName);
  if ((await card.count()) === 0) {
    await fillAccountForm(page, {
      name: env.accountName,
      baseUrl: env.sandboxUrl,
      apiKey: env.sandboxKey,
    });
  }
  await expect(card).toBeVisible();
  await go(page, 'Upload');
  return env.accountName;
}

/** Through the system file picker, as a user clicking "Choose files…" would. */
export async function chooseFiles(page: Page, paths: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose files…' }).click();
  await (await chooser).setFiles(paths);
}

export function draftCard(page: Page, fileName: string): Locator {
  return page
    .getByRole('region', { name: /^Ready to start/ })
    .getByRole('article', { name: fileName, exact: true });
}

/** Points a draft at the account and waits until the service has checked its name. */
export async function prepareDraft(
  page: Page,
  fileName: string,
  account: string,
): Promise<Locator> {
  const card = draftCard(page, fileName);
  await expect(card).toBeVisible();
  await card.getByLabel('Account', { exact: true }).selectOption({ label: account });
  await expect(card.getByText('Ready', { exact: true })).toBeVisible();
  return card;
}

export function uploadCard(page: Page, imageName: string): Locator {
  return page
    .getByRole('region', { name: 'Uploads', exact: true })
    .getByRole('article', { name: imageName, exact: true });
}

export async function expectVerified(card: Locator, timeout = UPLOAD_TIMEOUT): Promise<void> {
  try {
    await expect(card.getByText('Verified ✓ SHA-256 matches')).toBeVisible({ timeout });
  } catch (err) {
    // What the card said instead is what a failure in CI needs to be understood.
    const said = await card.innerText({ timeout: 1_000 }).catch(() => '(no such card)');
    throw new Error(`${String(err)}\nThe card said instead:\n${said}`, { cause: err });
  }
  await expect(card.getByText('Done', { exact: true })).toBeVisible();
}

/** One file from picker to "verified", to the given account. */
export async function uploadOne(page: Page, path: string, fileName: string, account: string) {
  await chooseFiles(page, [path]);
  const draft = await prepareDraft(page, fileName, account);
  await draft.getByRole('button', { name: 'Start upload' }).click();
  const card = uploadCard(page, fileName);
  await expectVerified(card);
  return card;
}
