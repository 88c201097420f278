import { KiB, makeFile, tag } from '../e2e-support/files';
import { expect, screenshot, test } from '../e2e-support/fixtures';
import { layoutProblems } from '../e2e-support/layout';
import { createForeignJob } from '../e2e-support/service';
import { ensureAccount, go, openApp, uploadCard, uploadOne } from '../e2e-support/ui';

// The Electron window's minWidth is 880 (src-main/shells/electron/window-options.ts); 1024 is a
// small laptop, 1280 the usual size, 1920 a full-HD screen. Each screen must stay readable.
const WIDTHS = [880, 1024, 1280, 1920] as const;
const HISTORY_TABS = [
  { tab: 'Local uploads', list: 'Uploads from this computer' },
  { tab: 'Images (server)', list: 'Firmware images' },
  { tab: 'Upload jobs (server)', list: 'Upload jobs' },
] as const;
// What a history row's name is measured on: the name itself must keep ~8 characters.
const NAME_CELLS = '.data-name > strong';

for (const width of WIDTHS) {
  test(`at ${width} px no text overlaps and no name is cut to nothing on History and Accounts`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 760 });
    // Names as long as real build artefacts: they are what a narrow column cuts first.
    const file = await makeFile(`crypto-bootloader-nrf52840-v2.14.3-rc1-${tag()}.bin`, 200 * KiB);
    await openApp(page);
    const account = await ensureAccount(page);
    await uploadOne(page, file.path, file.name, account);
    await createForeignJob(`gateway-modem-fw-v7.0.2-hotfix-${tag()}`);
    const upload = await layoutProblems(page, uploadCard(page, file.name), { within: 'main' });
    await screenshot(page, `fit-${width}-upload`);
    expect.soft(upload, `Upload at ${width} px`).toEqual([]);

    await go(page, 'History');
    for (const { tab, list } of HISTORY_TABS) {
      await page.getByRole('tab', { name: tab }).click();
      if (tab !== 'Local uploads') {
        await page.getByLabel('Account', { exact: true }).selectOption({ label: account });
      }
      const rows = page.getByRole('list', { name: list }).getByRole('listitem');
      const problems = await layoutProblems(page, rows, { cells: NAME_CELLS });
      await screenshot(page, `fit-${width}-history-${tab.split(' ')[0]?.toLowerCase()}`);
      expect.soft(problems, `History › ${tab} at ${width} px`).toEqual([]);
    }

    // The details panel takes 360 px from the images table: the names must still show.
    await page.getByRole('tab', { name: 'Images (server)' }).click();
    await page.getByRole('list', { name: 'Firmware images' }).getByRole('button').first().click();
    const details = page.getByRole('complementary');
    const withDetails = await layoutProblems(page, details, { cells: NAME_CELLS });
    await screenshot(page, `fit-${width}-history-details`);
    expect.soft(withDetails, `History › Images with details at ${width} px`).toEqual([]);

    await go(page, 'Accounts');
    const card = page.getByRole('article', { name: account, exact: true });
    await expect(card.getByText(/Images\s*\d+ of 1,000/)).toBeVisible();
    const accounts = await layoutProblems(page, card);
    await screenshot(page, `fit-${width}-accounts`);
    expect.soft(accounts, `Accounts at ${width} px`).toEqual([]);

    await go(page, 'Settings');
    const settings = await layoutProblems(page, page.getByRole('heading', { name: 'Settings' }));
    await screenshot(page, `fit-${width}-settings`);
    expect.soft(settings, `Settings at ${width} px`).toEqual([]);
  });
}
