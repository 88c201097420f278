import { randomBytes } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import yaml from 'js-yaml';
import { startSandbox } from '../../src-sandbox';
import type { Sandbox } from '../../src-sandbox';
import { KiB, makeFile, MiB, tag } from '../e2e-support/files';
import type { TestFile } from '../e2e-support/files';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { layoutProblems } from '../e2e-support/layout';
import {
  accountCard,
  chooseFiles,
  draftCard,
  expectVerified,
  fillAccountForm,
  go,
  openApp,
  UPLOAD_TIMEOUT,
} from '../e2e-support/ui';

// Fan-out: one file to several accounts. Two sandboxes of their own (two hosts, two ports) stand
// for two Izuma accounts; faults are injected into one of them only.
const WIDTHS = [880, 1024, 1280] as const;
// The fan-out's hand-off to manifest-tool is copied and read back through the clipboard.
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

interface Lab {
  sandbox: Sandbox;
  key: string;
  name: string;
}

let labs: [Lab, Lab];

test.beforeAll(async () => {
  const start = async (letter: string): Promise<Lab> => {
    const key = `ak_fan_${randomBytes(12).toString('hex')}`;
    const sandbox = await startSandbox({ accounts: [{ key, tier: '1', name: `Lab ${letter}` }] });
    return { sandbox, key, name: `Lab ${letter} ${tag()}` };
  };
  labs = [await start('A'), await start('B')];
  expect(new URL(labs[0].sandbox.url).port).not.toBe(new URL(labs[1].sandbox.url).port);
});

test.afterAll(async () => {
  for (const lab of labs ?? []) await lab.sandbox.close();
});

/** The labs as accounts in Firmdrop, added through the form; removed again by `removeLabs`. */
async function addLabs(page: Page, which: Lab[] = labs): Promise<void> {
  await go(page, 'Accounts');
  await expect(page.getByRole('article', { name: /^Sandbox \(local\)/ })).toBeVisible();
  for (const lab of which) {
    await fillAccountForm(page, { name: lab.name, baseUrl: lab.sandbox.url, apiKey: lab.key });
    await expect(accountCard(page, lab.name)).toBeVisible();
  }
  await go(page, 'Upload');
}

/**
 * Other tests share this app: accounts pointing at sandboxes that are about to stop go. Best
 * effort, with short waits: a failed test's own error must be the one reported.
 */
async function removeLabs(page: Page, which: Lab[] = labs): Promise<void> {
  const quick = { timeout: 5_000 };
  try {
    await go(page, 'Accounts');
    for (const lab of which) {
      const card = accountCard(page, lab.name);
      if ((await card.count()) === 0) continue;
      await card.getByRole('button', { name: `Remove ${lab.name}` }).click(quick);
      await page
        .getByRole('dialog', { name: `Remove “${lab.name}”?` })
        .getByRole('button', { name: 'Remove account' })
        .click(quick);
      await expect(card).toHaveCount(0, quick);
    }
  } catch (err) {
    console.warn(`fan-out accounts not removed: ${String(err)}`);
  }
}

/** The images of a lab with exactly this name, asked of its own API with its own key. */
async function imagesOn(lab: Lab, name: string) {
  const query = new URLSearchParams({ name__eq: name, limit: '10' });
  const response = await fetch(`${lab.sandbox.url}/v3/firmware-images?${query}`, {
    headers: { Authorization: `Bearer ${lab.key}` },
  });
  expect(response.ok).toBe(true);
  const body = (await response.json()) as {
    data: { name: string; datafile_size: number; datafile_checksum: string }[];
  };
  return body.data.filter((i) => i.name === name);
}

/** Fills a lab's image quota with small images, as its other users would have. */
async function fillQuota(lab: Lab, images: number): Promise<void> {
  for (let i = 0; i < images; i++) {
    const form = new FormData();
    form.set('name', `filler-${i}-${tag()}`);
    form.set('datafile', new Blob([randomBytes(16)]), `filler-${i}.bin`);
    const response = await fetch(`${lab.sandbox.url}/v3/firmware-images`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${lab.key}` },
      body: form,
    });
    expect(response.ok, await response.clone().text()).toBe(true);
  }
}

/** Holds a name on a lab, as another tool's unfinished upload job would. */
async function holdName(lab: Lab, name: string): Promise<void> {
  const response = await fetch(`${lab.sandbox.url}/v3/firmware-images/upload-jobs`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${lab.key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, description: 'started by another tool' }),
  });
  expect(response.ok).toBe(true);
}

/** A draft of the file pointed at lab A, with the other accounts ticked under "Also upload to". */
async function fanOutDraft(page: Page, file: TestFile, also: string[]): Promise<Locator> {
  await chooseFiles(page, [file.path]);
  const card = draftCard(page, file.name);
  await card.getByLabel('Account', { exact: true }).selectOption({ label: labs[0].name });
  const picker = card.getByRole('group', { name: 'Also upload to' });
  for (const name of also) await picker.getByRole('checkbox', { name }).check();
  return card;
}

function group(page: Page, file: TestFile, accounts: number): Locator {
  return page
    .getByRole('region', { name: 'Uploads', exact: true })
    .getByRole('article', { name: `${file.name} → ${accounts} accounts`, exact: true });
}

test('a file fanned out to two accounts is verified on both; a fault on one leaves the other verified and the faulted one resumes on Retry', async ({
  page,
}) => {
  // Two 20 MiB uploads, a failure, a retry and three widths of screenshots.
  test.setTimeout(120_000);
  // Resumable jobs of two chunks (a fan-out's chunks are the fixed 16 MiB), the second of
  // which the fault hits.
  const file = await makeFile(`fw-fan-${tag()}.bin`, 20 * MiB);
  await openApp(page);
  await addLabs(page);
  try {
    // Lab B is slow, and once its first chunk is under way it answers the next chunk POST
    // with a status no retry changes (501): that target fails part-way, lab A's goes on.
    labs[1].sandbox.faults.setBandwidth(8 * MiB);
    const draft = await fanOutDraft(page, file, [labs[1].name]);
    await expect(draft.getByText('Ready for 2 accounts')).toBeVisible();
    await draft.getByRole('button', { name: 'Start upload' }).click();
    await labs[1].sandbox.when('bytesReceived', 1);
    labs[1].sandbox.faults.inject({
      kind: 'status',
      status: 501,
      method: 'POST',
      path: '/chunks$',
      times: 1,
    });

    const card = group(page, file, 2);
    await expect(card).toBeVisible();
    const [a, b] = labs.map((lab) => card.getByRole('article', { name: lab.name, exact: true }));
    await expectVerified(a as Locator);
    await expect((b as Locator).getByText('Upload failed.')).toBeVisible({
      timeout: UPLOAD_TIMEOUT,
    });
    await expect(card.getByText('1 verified, 1 failed')).toBeVisible();
    expect(await imagesOn(labs[1], file.name)).toEqual([]);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await card.scrollIntoViewIfNeeded();
      expect.soft(await layoutProblems(page, card), `queue group at ${width} px`).toEqual([]);
      await screenshot(page, `fanout-${width}-queue-failed`);
    }

    // Part of it got there before the fault: what Retry must not send again.
    await expect((b as Locator).getByText('16.0 MiB of 20.0 MiB acknowledged')).toBeVisible();
    const appendedBefore = labs[1].sandbox.stats().bytesAppended;
    expect(appendedBefore).toBe(16 * MiB);
    labs[1].sandbox.faults.setBandwidth(null);

    // Its own Retry: the job resumes where the journal says, and ends verified too.
    await (b as Locator)
      .getByRole('button', { name: `Retry ${file.name} on ${labs[1].name}` })
      .click();
    await expectVerified(b as Locator);
    await expect(card.getByText('2 verified')).toBeVisible();
    expect(labs[1].sandbox.stats().faultsFired.status).toBe(1);
    // Resumed, not restarted: every byte appended once, the acknowledged part not sent again.
    expect(labs[1].sandbox.stats().bytesAppended).toBe(file.size);
    for (const lab of labs) {
      const images = await imagesOn(lab, file.name);
      expect(images, `one image on ${lab.name}`).toHaveLength(1);
      expect(images[0]?.datafile_size).toBe(file.size);
      expect(images[0]?.datafile_checksum).toBe(file.sha256);
    }
    // The hand-off: one payload section per account, each labelled by its account.
    await card
      .getByRole('button', { name: `Copy for manifest-tool: ${file.name} → 2 accounts` })
      .click();
    await expect(page.getByRole('region', { name: 'Notifications' })).toContainText(
      'Copied the payload section',
    );
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const docs = yaml.loadAll(copied) as Array<{ payload: { url: string } }>;
    expect(docs.map((d) => new URL(d.payload.url).origin)).toEqual(
      labs.map((lab) => lab.sandbox.url),
    );
    for (const lab of labs) expect(copied).toContain(lab.name);
    // Put away, as a technician would, so that the screens below are seen without it.
    await page
      .getByRole('region', { name: 'Notifications' })
      .getByRole('button', { name: /^Dismiss: Copied the payload section/ })
      .click();
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await card.scrollIntoViewIfNeeded();
      await screenshot(page, `fanout-${width}-queue-verified`);
    }

    // History: one row for the fan-out, opened into a row per target.
    await go(page, 'History');
    await page.getByRole('tab', { name: 'Local uploads' }).click();
    const list = page.getByRole('list', { name: 'Uploads from this computer' });
    const row = list.getByRole('button', { name: new RegExp(`^${file.name} → 2 accounts`) });
    await expect(row).toContainText('2 verified');
    await expect(row).toHaveAttribute('aria-expanded', 'false');
    await row.click();
    await expect(row).toHaveAttribute('aria-expanded', 'true');
    for (const lab of labs) {
      await expect(list.getByRole('listitem').filter({ hasText: lab.name })).toHaveCount(1);
    }
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 760 });
      const rows = list.getByRole('listitem');
      expect
        .soft(
          await layoutProblems(page, rows, { cells: '.data-name > strong' }),
          `History at ${width} px`,
        )
        .toEqual([]);
      await screenshot(page, `fanout-${width}-history`);
    }
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
    await removeLabs(page);
  }
});

test('one refusing target stops the whole start and is named; the others go when asked', async ({
  page,
}) => {
  const file = await makeFile(`fw-fan-refused-${tag()}.bin`, 64 * KiB);
  await holdName(labs[1], file.name);
  await openApp(page);
  await addLabs(page);
  try {
    const draft = await fanOutDraft(page, file, [labs[1].name, 'Sandbox (local)']);
    const rows = draft.getByRole('list', { name: `Accounts for ${file.name}` });
    const refusing = rows.getByRole('listitem', { name: labs[1].name });
    await expect(refusing.getByText('Refuses')).toBeVisible();
    await expect(refusing).toContainText(file.name);
    await expect(
      refusing.getByRole('button', { name: `Use ‘${file.name} (2)’ on ${labs[1].name}` }),
    ).toBeVisible();
    await expect(
      draft.getByText(`${labs[1].name} refuses: nothing starts · 2 of 3 ready`),
    ).toBeVisible();
    await expect(draft.getByRole('button', { name: 'Start upload' })).toBeDisabled();
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await draft.scrollIntoViewIfNeeded();
      expect.soft(await layoutProblems(page, draft), `draft card at ${width} px`).toEqual([]);
      await screenshot(page, `fanout-${width}-draft-3-targets`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    await draft.getByRole('button', { name: 'Start the others anyway' }).click();
    await expect(page.getByText(`${file.name} was not started on ${labs[1].name}`)).toBeVisible();
    const card = group(page, file, 2);
    for (const name of [labs[0].name, 'Sandbox (local)']) {
      await expectVerified(card.getByRole('article', { name, exact: true }));
    }
    expect(await imagesOn(labs[0], file.name)).toHaveLength(1);
    expect(await imagesOn(labs[1], file.name)).toEqual([]);
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
    await removeLabs(page);
  }
});

test('a taken name on one target gets its own free name there, and all start together', async ({
  page,
}) => {
  const file = await makeFile(`fw-fan-renamed-${tag()}.bin`, 64 * KiB);
  await holdName(labs[1], file.name);
  await openApp(page);
  await addLabs(page);
  try {
    const draft = await fanOutDraft(page, file, [labs[1].name]);
    const refusing = draft
      .getByRole('list', { name: `Accounts for ${file.name}` })
      .getByRole('listitem', { name: labs[1].name });
    await refusing
      .getByRole('button', { name: `Use ‘${file.name} (2)’ on ${labs[1].name}` })
      .click();
    await expect(refusing.getByLabel(`Name on ${labs[1].name}`)).toHaveValue(`${file.name} (2)`);
    await expect(draft.getByText('Ready for 2 accounts')).toBeVisible();
    await draft.getByRole('button', { name: 'Start upload' }).click();
    const card = group(page, file, 2);
    for (const lab of labs) await expectVerified(card.getByRole('article', { name: lab.name }));
    expect(await imagesOn(labs[0], file.name)).toHaveLength(1);
    expect(await imagesOn(labs[1], `${file.name} (2)`)).toHaveLength(1);
  } finally {
    await removeLabs(page);
  }
});

test('a target the service refuses at Start is named on its row, and nothing starts until the others are sent alone', async ({
  page,
}) => {
  // A free-tier account (10 images) whose quota fills up after the card read it.
  const key = `ak_fan_${randomBytes(12).toString('hex')}`;
  const free: Lab = {
    sandbox: await startSandbox({ accounts: [{ key, tier: '0', name: 'Lab C' }] }),
    key,
    name: `Lab C ${tag()}`,
  };
  const file = await makeFile(`fw-fan-quota-${tag()}.bin`, 64 * KiB);
  await openApp(page);
  await addLabs(page, [labs[0], free]);
  try {
    const draft = await fanOutDraft(page, file, [free.name]);
    await expect(draft.getByText('Ready for 2 accounts')).toBeVisible();
    await fillQuota(free, 10);
    await draft.getByRole('button', { name: 'Start upload' }).click();

    const refusal = draft.getByRole('alert');
    await expect(refusal).toContainText(free.name);
    const row = draft
      .getByRole('list', { name: `Accounts for ${file.name}` })
      .getByRole('listitem', { name: free.name });
    await expect(row.getByText('Refuses')).toBeVisible();
    await expect(row).toContainText(/quota|room|images/i);
    expect(await imagesOn(labs[0], file.name), 'all or nothing: nothing on lab A').toEqual([]);
    await draft.scrollIntoViewIfNeeded();
    await screenshot(page, 'fanout-1280-draft-refused-at-start');

    await draft.getByRole('button', { name: 'Start the others anyway' }).click();
    await expectVerified(
      page
        .getByRole('region', { name: 'Uploads', exact: true })
        .getByRole('article', { name: file.name, exact: true }),
    );
    expect(await imagesOn(labs[0], file.name)).toHaveLength(1);
    expect(await imagesOn(free, file.name)).toEqual([]);
  } finally {
    await removeLabs(page, [labs[0], free]);
    await free.sandbox.close();
  }
});
