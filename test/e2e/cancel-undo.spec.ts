import type { Page } from '@playwright/test';
import { makeFile, MiB, tag } from '../e2e-support/files';
import { e2eEnv } from '../e2e-support/env';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { imagesNamed, setBandwidth } from '../e2e-support/service';
import {
  chooseFiles,
  ensureAccount,
  expectVerified,
  go,
  openApp,
  prepareDraft,
  uploadCard,
} from '../e2e-support/ui';

/** Whether the stand-in service still holds the upload job (asked with the account's own key). */
async function jobExists(jobId: string): Promise<boolean> {
  const env = e2eEnv();
  const r = await fetch(`${env.sandboxUrl}/v3/firmware-images/upload-jobs/${jobId}`, {
    headers: { Authorization: `Bearer ${env.sandboxKey}` },
  });
  if (r.status === 404) return false;
  if (!r.ok) throw new Error(`GET upload job answered ${r.status}`);
  return true;
}

async function jobIdOf(name: string): Promise<string> {
  const env = e2eEnv();
  const query = new URLSearchParams({ name__eq: name });
  const r = await fetch(`${env.sandboxUrl}/v3/firmware-images/upload-jobs?${query}`, {
    headers: { Authorization: `Bearer ${env.sandboxKey}` },
  });
  const body = (await r.json()) as { data: Array<{ id: string; name: string }> };
  const job = body.data.find((j) => j.name === name);
  if (!job) throw new Error(`no upload job named ${name}`);
  return job.id;
}

async function setChunkSize(page: Page, mib: number): Promise<void> {
  await go(page, 'Settings');
  const field = page.getByRole('spinbutton', { name: 'Chunk size' });
  await field.fill(String(mib));
  await field.press('Tab');
  await expect(page.locator('#setting-chunkSizeMiB-status')).toHaveText('Saved');
  await go(page, 'Upload');
}

/** A 20 MiB upload held to 2 MiB/s, once its job exists and some bytes are acknowledged. */
async function slowUpload(page: Page, label: string) {
  const file = await makeFile(`fw-${label}-${tag()}.bin`, 20 * MiB);
  const account = await ensureAccount(page);
  await chooseFiles(page, [file.path]);
  const draft = await prepareDraft(page, file.name, account);
  await draft.getByRole('button', { name: 'Start upload' }).click();
  const card = uploadCard(page, file.name);
  const bar = card.getByRole('progressbar', { name: `Progress of ${file.name}` });
  await expect
    .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 15_000 })
    .toBeGreaterThan(0);
  return { file, card, jobId: await jobIdOf(file.name) };
}

test.describe('Cancel can be undone for a few seconds', () => {
  test.beforeEach(async ({ page }) => {
    await openApp(page);
    await ensureAccount(page);
    await setChunkSize(page, 5);
    await setBandwidth(2 * MiB);
  });
  test.afterEach(async ({ page }) => {
    await setBandwidth(null);
    await setChunkSize(page, 16);
  });

  test('Undo keeps the job and the upload carries on to verified', async ({ page }) => {
    const { file, card, jobId } = await slowUpload(page, 'undo');
    await card.getByRole('button', { name: `Cancel ${file.name}` }).click();
    await expect(card.getByText('Cancelling', { exact: true })).toBeVisible();
    await expect(card.getByRole('status')).toContainText('Cancelled — nothing more is sent.');
    // Pause, Resume and Cancel are gone while the cancel is pending: only Undo is offered.
    await expect(card.getByRole('button', { name: `Resume ${file.name}` })).toHaveCount(0);
    await screenshot(page, 'cancel-undo-window');
    expect(await jobExists(jobId), 'the job stays while Undo is possible').toBe(true);

    await setBandwidth(null);
    await card.getByRole('button', { name: `Undo cancel of ${file.name}` }).click();
    await expectVerified(card);
    const [image] = await imagesNamed(file.name);
    expect(image?.datafile_checksum).toBe(file.sha256);
  });

  test('without Undo the job is deleted when the time runs out', async ({ page }) => {
    const { file, card, jobId } = await slowUpload(page, 'cancel');
    await card.getByRole('button', { name: `Cancel ${file.name}` }).click();
    await expect(card.getByRole('button', { name: `Undo cancel of ${file.name}` })).toBeVisible();
    expect(await jobExists(jobId)).toBe(true);
    // The card says Cancelled once the service has carried the cancel out (after ~5 s).
    await expect(card.getByText('Cancelled', { exact: true })).toBeVisible({ timeout: 15_000 });
    await expect(card.getByRole('button', { name: `Undo cancel of ${file.name}` })).toHaveCount(0);
    expect(await jobExists(jobId), 'the job is deleted once the window ran out').toBe(false);
    expect(await imagesNamed(file.name)).toEqual([]);
  });
});
