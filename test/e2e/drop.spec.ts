import { KiB, makeFile, tag } from '../e2e-support/files';
import { expect, test } from '../e2e-support/fixtures';
import { imagesNamed } from '../e2e-support/service';
import {
  ensureAccount,
  expectVerified,
  openApp,
  prepareDraft,
  uploadCard,
} from '../e2e-support/ui';

test('a file dropped on the drop zone is staged, uploaded and verified', async ({ page }) => {
  const file = await makeFile(`fw-dropped-${tag()}.bin`, 300 * KiB);
  await openApp(page);
  const account = await ensureAccount(page);

  // A real drag from the desktop cannot be scripted; this dispatches the same DOM events a
  // browser fires for one, with the file's bytes in a DataTransfer.
  const zone = page.getByRole('region', { name: 'Add firmware files' });
  const transfer = await page.evaluateHandle(
    ({ name, bytes }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/octet-stream' }));
      return dt;
    },
    { name: file.name, bytes: [...file.data] },
  );
  await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await expect(zone.getByText('Drop to add these files')).toBeVisible();
  await zone.dispatchEvent('drop', { dataTransfer: transfer });

  await prepareDraft(page, file.name, account);
  await page.getByRole('button', { name: 'Start upload' }).click();
  await expectVerified(uploadCard(page, file.name));
  const images = await imagesNamed(file.name);
  expect(images).toHaveLength(1);
  expect(images[0]?.datafile_checksum).toBe(file.sha256);
});
