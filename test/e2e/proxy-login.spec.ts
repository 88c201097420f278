import { expect, test } from '../e2e-support/fixtures';
import { go, openApp } from '../e2e-support/ui';

// Issue 11, item 1: a proxy's user name and password go to the keychain; the Settings screen
// shows that they are stored, never what they are, and can replace or remove them.
const PASSWORD = 'e2e-Pr0xy-pass';

test('a proxy login goes to the keychain and is never shown again', async ({ page }) => {
  await openApp(page);
  await go(page, 'Settings');
  const url = page.getByRole('textbox', { name: 'Proxy URL' });
  try {
    await url.fill(`http://tech:${PASSWORD}@proxy.e2e.invalid:3128`);
    await url.press('Enter');
    await url.blur();
    await expect(page.getByText('User name and password stored in the keychain.')).toBeVisible();
    await expect(url).toHaveValue('http://proxy.e2e.invalid:3128');
    expect(await page.content()).not.toContain(PASSWORD);
    // Typed again for the same proxy: the stored URL does not change, the field still drops it.
    await url.fill(`http://tech:${PASSWORD}@proxy.e2e.invalid:3128`);
    await url.press('Enter');
    await url.blur();
    await expect(url).toHaveValue('http://proxy.e2e.invalid:3128');

    // Reloaded from the service: still only the flag.
    await page.reload();
    await go(page, 'Settings');
    await expect(url).toHaveValue('http://proxy.e2e.invalid:3128');
    await expect(page.getByText('User name and password stored in the keychain.')).toBeVisible();
    expect(await page.content()).not.toContain(PASSWORD);

    await page.getByRole('button', { name: 'Replace user name and password…' }).click();
    const form = page.getByRole('form', { name: 'Proxy user name and password' });
    await form.getByLabel('User name').fill('other');
    await form.getByLabel('Password').fill('an0ther');
    await form.getByRole('button', { name: 'Save to keychain' }).click();
    await expect(form).toBeHidden();
    await expect(page.getByText('User name and password stored in the keychain.')).toBeVisible();

    await page.getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByText('User name and password stored in the keychain.')).toBeHidden();
    await expect(page.getByRole('button', { name: 'Add user name and password…' })).toBeVisible();
  } finally {
    // The other tests share this app: leave it without a proxy.
    await url.fill('');
    await url.press('Enter');
    await url.blur();
    await expect(page.getByRole('button', { name: 'Add user name and password…' })).toBeHidden();
  }
});
