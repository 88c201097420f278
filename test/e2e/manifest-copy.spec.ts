import type { Page } from '@playwright/test';
import yaml from 'js-yaml';
import { e2eEnv } from '../e2e-support/env';
import { KiB, makeFile, tag } from '../e2e-support/files';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { imagesNamed } from '../e2e-support/service';
import { ensureAccount, go, openApp, uploadOne } from '../e2e-support/ui';

// The page copies with navigator.clipboard; the test reads it back the same way.
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const readClipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/** An encrypted image made on the service by another tool (the draft form has no encryption switch). */
async function createEncryptedImage(name: string, data: Buffer) {
  const env = e2eEnv();
  const form = new FormData();
  form.set('name', name);
  form.set('datafile_encryption', 'true');
  form.set('datafile', new Blob([new Uint8Array(data)]), name);
  const response = await fetch(`${env.sandboxUrl}/v3/firmware-images/`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${env.sandboxKey}` },
    body: form,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as {
    id: string;
    datafile: string;
    encrypted_datafile_checksum: string;
    encrypted_datafile_size: number;
  };
}

async function openImage(page: Page, account: string, name: string) {
  await go(page, 'History');
  await page.getByRole('tab', { name: 'Images (server)' }).click();
  await page.getByLabel('Account', { exact: true }).selectOption({ label: account });
  await page.getByLabel('Search by name').fill(name);
  // The search answers after a pause: wait for its list (one image) so that its arrival does not
  // replace the panel opened from the list before it.
  const list = page.getByRole('list', { name: 'Firmware images' });
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await list.getByRole('button', { name }).click();
  const details = page.getByRole('complementary', { name });
  await expect(details).toBeVisible();
  return details;
}

test('"Copy for manifest-tool" puts the payload section on the clipboard, from the card and from History', async ({
  page,
}) => {
  const file = await makeFile(`fw-manifest-${tag()}.bin`, 120 * KiB);
  await openApp(page);
  const account = await ensureAccount(page);
  const card = await uploadOne(page, file.path, file.name, account);
  const [image] = await imagesNamed(file.name);
  // The browser streamed a copy in: its path on this computer was never told, so file-path is left.
  const expected = { payload: { url: image?.datafile, format: 'raw-binary' } };

  await card.getByRole('button', { name: `Copy for manifest-tool: ${file.name}` }).click();
  await expect(card.getByRole('button', { name: /Copy for manifest-tool/ })).toHaveText('Copied');
  await expect(card.getByRole('status')).toHaveText(
    'Copied the payload section for manifest-tool’s config. Fill in file-path: the path of the file on this computer.',
  );
  const fromCard = await readClipboard(page);
  expect(yaml.load(fromCard)).toEqual(expected);
  expect(fromCard).toContain(`SHA-256 ${file.sha256}, ${file.size} bytes`);
  expect(fromCard).toContain(
    `# Firmdrop: image "${file.name}" (${image?.id}) on account "${account}"`,
  );
  await screenshot(page, 'manifest-copy-card-1280');
  await page.setViewportSize({ width: 880, height: 800 });
  await screenshot(page, 'manifest-copy-card-880');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.evaluate(() => navigator.clipboard.writeText(''));
  const details = await openImage(page, account, file.name);
  await details.getByRole('button', { name: `Copy for manifest-tool: ${file.name}` }).click();
  await expect(details.getByRole('status')).toContainText('Copied the payload section');
  expect(yaml.load(await readClipboard(page))).toEqual(expected);
  await expect(details.getByText(/^Encrypted image:/)).toHaveCount(0);

  // A row of Local uploads has room for the button only: it says what it copied in a toast.
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page.getByRole('tab', { name: 'Local uploads' }).click();
  await page
    .getByRole('list', { name: 'Uploads from this computer' })
    .getByRole('button', { name: `Copy for manifest-tool: ${file.name}` })
    .click();
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(
    'Done: Copied the payload section for manifest-tool’s config. Fill in file-path',
  );
  expect(yaml.load(await readClipboard(page))).toEqual(expected);
  await screenshot(page, 'manifest-copy-local-1280');
  await page.setViewportSize({ width: 880, height: 800 });
  await screenshot(page, 'manifest-copy-local-880');
});

test('an encrypted image gives its encrypted size and SHA-256, and the panel says so', async ({
  page,
}) => {
  const name = `fw-manifest-enc-${tag()}.bin`;
  const file = await makeFile(name, 64 * KiB);
  const image = await createEncryptedImage(name, file.data);
  await openApp(page);
  const account = await ensureAccount(page);
  const details = await openImage(page, account, name);
  await expect(
    details.getByText(/^Encrypted image: the copy gives the encrypted datafile’s size and SHA-256/),
  ).toBeVisible();

  await details.getByRole('button', { name: `Copy for manifest-tool: ${name}` }).click();
  await expect(details.getByRole('status')).toContainText(
    'It gives the encrypted size and SHA-256 (encrypted-raw).',
  );
  const copied = await readClipboard(page);
  expect(yaml.load(copied)).toEqual({
    payload: {
      url: image.datafile,
      format: 'encrypted-raw',
      encrypted: { digest: image.encrypted_datafile_checksum, size: image.encrypted_datafile_size },
    },
  });
  expect(copied).toContain('# Encrypted on the service:');
  await screenshot(page, 'manifest-copy-encrypted-1280');
  await page.setViewportSize({ width: 880, height: 800 });
  await expect(details.getByRole('button', { name: /Copy for manifest-tool/ })).toBeVisible();
  await screenshot(page, 'manifest-copy-encrypted-880');
});
