import { expect, test } from '../e2e-support/fixtures';
import { e2eEnv } from '../e2e-support/env';
import { go, openApp, screenHeading } from '../e2e-support/ui';

// Issue 11, item 3: the printed URL's token leaves the address bar at once, and the page lives on
// an HttpOnly, SameSite=Strict session cookie that no script can read.
test('the token leaves the address bar; the page runs on an HttpOnly session cookie', async ({
  page,
  context,
}) => {
  const printed = new URL(e2eEnv().appUrl);
  const token = printed.searchParams.get('token') ?? '';
  expect(token).not.toBe('');
  await openApp(page, printed.href);

  expect(page.url()).toBe(`${printed.origin}/`);
  expect(await page.evaluate(() => window.location.href)).not.toContain('token');
  expect(await page.content()).not.toContain(token);

  const cookies = await context.cookies(printed.origin);
  expect(cookies).toHaveLength(1);
  expect(cookies[0]).toMatchObject({
    name: `firmdrop_session_${printed.port}`,
    domain: '127.0.0.1',
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
  });
  expect(cookies[0]?.value).not.toBe(token);
  expect(await page.evaluate(() => document.cookie)).toBe('');

  // The app works on the cookie alone: commands, a reload, the event stream's data.
  await go(page, 'Settings');
  await page.reload();
  await expect(screenHeading(page, 'Upload')).toBeVisible();
  expect(page.url()).toBe(`${printed.origin}/`);
});

test('without the token or a session, the page is refused', async ({ request }) => {
  const printed = new URL(e2eEnv().appUrl);
  const response = await request.get(`${printed.origin}/`);
  expect(response.status()).toBe(401);
  expect(await response.text()).toContain('open the address that "firmdrop web" printed');
  const command = await request.post(`${printed.origin}/api/invoke/app:info`, { data: [] });
  expect(command.status()).toBe(401);
});
