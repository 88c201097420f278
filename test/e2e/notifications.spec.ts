import type { Page } from '@playwright/test';
import { KiB, makeFile, tag } from '../e2e-support/files';
import { e2eEnv } from '../e2e-support/env';
import { expect, test } from '../e2e-support/fixtures';
import {
  chooseFiles,
  ensureAccount,
  expectVerified,
  openApp,
  prepareDraft,
  uploadCard,
} from '../e2e-support/ui';

interface Shown {
  title: string;
  body: string | undefined;
}

// The page's real Notification is kept; the init script only records each one it shows, and
// reports the window as not focused (what a technician on another window would have).
async function recordNotifications(page: Page, focused: boolean) {
  await page.addInitScript((isFocused: boolean) => {
    const shown: Array<{ title: string; body: string | undefined }> = [];
    (window as unknown as { __shown: typeof shown }).__shown = shown;
    const Real = window.Notification;
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body });
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true });
    // Also note each batch:ended the page hears, so a test can wait for the event itself.
    const batches: unknown[] = [];
    (window as unknown as { __batches: unknown[] }).__batches = batches;
    const RealSource = window.EventSource;
    class HeardSource extends RealSource {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener('batch:ended', (e) => batches.push((e as MessageEvent).data));
      }
    }
    Object.defineProperty(window, 'EventSource', { value: HeardSource, configurable: true });
    Document.prototype.hasFocus = () => isFocused;
  }, focused);
}

const shown = (page: Page) =>
  page.evaluate(() => (window as unknown as { __shown: Shown[] }).__shown);

test('a batch that finishes while the window is not focused is told by a notification', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['notifications'], { origin: new URL(e2eEnv().appUrl).origin });
  await recordNotifications(page, false);
  await openApp(page);
  const account = await ensureAccount(page);
  const file = await makeFile(`fw-notify-${tag()}.bin`, 80 * KiB);
  await chooseFiles(page, [file.path]);
  const draft = await prepareDraft(page, file.name, account);
  await draft.getByRole('button', { name: 'Start upload' }).click();
  await expectVerified(uploadCard(page, file.name));
  await expect
    .poll(() => shown(page))
    .toEqual([
      {
        title: 'Upload finished',
        body: `“${file.name}” is on the service, size and SHA-256 verified.`,
      },
    ]);
});

test('no notification while the window has the focus', async ({ page, context }) => {
  await context.grantPermissions(['notifications'], { origin: new URL(e2eEnv().appUrl).origin });
  await recordNotifications(page, true);
  await openApp(page);
  const account = await ensureAccount(page);
  const file = await makeFile(`fw-quiet-${tag()}.bin`, 80 * KiB);
  await chooseFiles(page, [file.path]);
  const draft = await prepareDraft(page, file.name, account);
  await draft.getByRole('button', { name: 'Start upload' }).click();
  await expectVerified(uploadCard(page, file.name));
  // The batch's end reached the page, and nothing was shown.
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { __batches: unknown[] }).__batches))
    .toHaveLength(1);
  expect(await shown(page)).toEqual([]);
});
