import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { expect, test } from '../e2e-support/fixtures';
import { go, openApp } from '../e2e-support/ui';

// Issue 14, section 1: the TLS advice sends technicians to Settings → Network → Trusted CA
// certificate; the field takes a PEM file's path, refuses a file that holds no certificate, and
// keeps what it saved.
test('the Trusted CA certificate field refuses a file with no certificate and saves a PEM file', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'firmdrop-e2e-ca-'));
  const notPem = join(dir, 'notes.txt');
  const pem = join(dir, 'ca.pem');
  writeFileSync(notPem, 'not a certificate\n');
  writeFileSync(pem, (await generate(undefined, { keyType: 'ec' })).cert);
  await openApp(page);
  await go(page, 'Settings');
  const field = page.getByRole('textbox', { name: 'Trusted CA certificate' });
  try {
    await field.fill(notPem);
    await field.press('Enter');
    await field.blur();
    await expect(page.getByText('holds no PEM certificate')).toBeVisible();

    await field.fill(pem);
    await field.press('Enter');
    await field.blur();
    await expect(page.locator('#setting-ca-status')).toHaveText(/Saved/);
    await page.reload();
    await go(page, 'Settings');
    await expect(field).toHaveValue(pem);
  } finally {
    await field.fill('');
    await field.press('Enter');
    await field.blur();
    await expect(field).toHaveValue('');
    rmSync(dir, { recursive: true, force: true });
  }
});
