import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { startSandbox } from '../../src-sandbox';
import type { Sandbox } from '../../src-sandbox';
import { e2eEnv } from '../e2e-support/env';
import { KiB, makeFile, tag } from '../e2e-support/files';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import {
  accountCard,
  chooseFiles,
  draftCard,
  expectVerified,
  fillAccountForm,
  go,
  openApp,
  uploadCard,
  uploadOne,
} from '../e2e-support/ui';

// The window's smallest size (src-main/shells/electron/window-options.ts) and a large one.
const SIZES = [
  { name: 'min', width: 880, height: 560 },
  { name: 'large', width: 1600, height: 1000 },
] as const;

/** The host's banner line: the app-wide banner that says which hosts do not answer. */
function hostBanner(page: Page, host: string): Locator {
  return page.getByRole('status').filter({ hasText: `Can't reach ${host}` });
}

/** The images of the second service's account with exactly this name. */
async function imagesOn(sandbox: Sandbox, key: string, name: string) {
  const query = new URLSearchParams({ name__eq: name, limit: '10' });
  const response = await fetch(`${sandbox.url}/v3/firmware-images?${query}`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  expect(response.ok).toBe(true);
  const body = (await response.json()) as {
    data: Array<{ name: string; datafile_size: number; datafile_checksum: string }>;
  };
  return body.data.filter((i) => i.name === name);
}

test('an upload started while its host is down waits with a countdown and finishes when the host comes up; the sandbox account goes on meanwhile', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // A second stand-in service, in this test's own process: the app reaches it over loopback
  // like any API host, so closing it is, for the app, a host that refuses connections.
  const dataDir = await mkdtemp(join(e2eEnv().filesDir, 'second-service-'));
  const key = `ak_offline_${randomBytes(16).toString('hex')}`;
  const accounts = [{ key, tier: '1' as const, name: 'Bench Ltd' }];
  let service = await startSandbox({ dataDir, accounts });
  const port = Number(new URL(service.url).port);
  const host = `127.0.0.1:${port}`;
  const accountName = `Bench ${tag()}`;
  const file = await makeFile(`fw-offline-${tag()}.bin`, 300 * KiB);
  const second = await makeFile(`fw-offline-2-${tag()}.bin`, 100 * KiB);
  const other = await makeFile(`fw-meanwhile-${tag()}.bin`, 200 * KiB);

  try {
    await openApp(page);
    await go(page, 'Accounts');
    await fillAccountForm(page, { name: accountName, baseUrl: service.url, apiKey: key });
    await expect(accountCard(page, accountName)).toBeVisible();
    await go(page, 'Upload');

    // The host goes away: connections to its address are refused from now on.
    await service.close();

    await chooseFiles(page, [file.path]);
    const draft = draftCard(page, file.name);
    await draft.getByLabel('Account', { exact: true }).selectOption({ label: accountName });
    // The name check cannot get through; that is advice, not a refusal: Start stays open.
    const start = draft.getByRole('button', { name: 'Start upload' });
    await expect(start).toBeEnabled({ timeout: 15_000 });
    await expect(draft.getByText(/Could not reach/)).toHaveCount(0);
    await start.click();

    const card = uploadCard(page, file.name);
    await expect(card.getByText('Waiting for network', { exact: true }).first()).toBeVisible({
      timeout: 15_000,
    });
    const waitNote = card.getByText(/^Waiting for network — /);
    await expect(waitNote).toContainText(
      `Waiting for network — can't reach ${host}: connection refused.`,
    );
    const countdown = waitNote.getByText(/^(Next try in \d+ s\.|Trying now…)$/);
    await expect(countdown).toBeVisible();
    await expect(card.getByRole('button', { name: `Try now ${file.name}` })).toBeEnabled();

    const banner = hostBanner(page, host);
    await expect(banner).toBeVisible();
    await expect(banner).toContainText(`Can't reach ${host} (${accountName}): connection refused.`);
    await expect(banner).toContainText(/1 upload waits and goes on by itself — /);
    await expect(banner).toContainText('Uploads to your other accounts go on as usual.');
    // The countdowns tick (one clock for the page): the text changes within a few seconds.
    const first = await countdown.textContent();
    await expect.poll(() => countdown.textContent(), { timeout: 5_000 }).not.toBe(first);

    // A second file for the same account, now that its host is known to be down: the draft
    // says the upload will wait, and Start does not wait for a name check that cannot answer.
    await chooseFiles(page, [second.path]);
    const secondDraft = draftCard(page, second.name);
    await secondDraft.getByLabel('Account', { exact: true }).selectOption({ label: accountName });
    await expect(secondDraft.getByText('Ready · will wait for the network')).toBeVisible();
    await expect(secondDraft).toContainText(
      `Can't reach ${host} right now: connection refused. You can start anyway`,
    );
    await screenshot(page, 'offline-draft');
    await secondDraft.getByRole('button', { name: 'Start upload' }).click();
    const secondCard = uploadCard(page, second.name);
    await expect(secondCard.getByText(/^Waiting for network — /)).toBeVisible({ timeout: 15_000 });
    await expect(banner).toContainText(/2 uploads wait and go on by themselves — /);

    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await expect(banner).toBeVisible();
      await screenshot(page, `offline-waiting-${size.name}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    // Offline is per host: an upload to the built-in sandbox account goes through meanwhile.
    await uploadOne(page, other.path, other.name, 'Sandbox (local)');
    await expect(card.getByText(/^Waiting for network — /)).toBeVisible();
    await screenshot(page, 'offline-others-go-on');

    // The host comes back on the same address, with the same data: the uploads go by themselves.
    service = await startSandbox({ port, dataDir, accounts });
    await expectVerified(card, 45_000);
    await expectVerified(secondCard);
    await expect(hostBanner(page, host)).toHaveCount(0);
    await expect(card.getByText(/^Waiting for network — /)).toHaveCount(0);

    for (const f of [file, second]) {
      const images = await imagesOn(service, key, f.name);
      expect(images).toHaveLength(1);
      expect(images[0]?.datafile_size).toBe(f.size);
      expect(images[0]?.datafile_checksum).toBe(f.sha256);
    }

    // Leave the shared app as it was: the account goes (its key with it).
    await go(page, 'Accounts');
    await accountCard(page, accountName)
      .getByRole('button', { name: `Remove ${accountName}` })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove account' }).click();
    await expect(accountCard(page, accountName)).toHaveCount(0);
  } finally {
    await service.close();
  }
});
