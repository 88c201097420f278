import { makeFile, MiB, tag } from '../e2e-support/files';
import { expect, test } from '../e2e-support/fixtures';
import { clearFaults, imagesNamed, injectFaults, sandboxState } from '../e2e-support/service';
import { ensureAccount, openApp, uploadOne } from '../e2e-support/ui';

test('connections reset mid-chunk and a 503 are recovered from: one verified image', async ({
  page,
}) => {
  // Above the 8 MiB small-upload threshold: a resumable job, whose chunks the faults hit.
  const file = await makeFile(`fw-faults-${tag()}.bin`, 9 * MiB);
  await openApp(page);
  const account = await ensureAccount(page);
  const fired = (await sandboxState()).stats.faultsFired;
  await injectFaults([
    { kind: 'reset', afterBytes: 10_000, method: 'POST', path: '/chunks$', times: 2 },
    {
      kind: 'status',
      status: 503,
      retryAfterSeconds: 1,
      method: 'POST',
      path: '/chunks$',
      times: 1,
    },
  ]);
  try {
    await uploadOne(page, file.path, file.name, account);
    const state = await sandboxState();
    expect(state.pendingFaults, 'every injected fault fired').toBe(0);
    expect(state.stats.faultsFired.reset - fired.reset).toBe(2);
    expect(state.stats.faultsFired.status - fired.status).toBe(1);
  } finally {
    await clearFaults();
  }
  const images = await imagesNamed(file.name);
  expect(images, 'exactly one image, the chunk never appended twice').toHaveLength(1);
  expect(images[0]?.datafile_size).toBe(file.size);
  expect(images[0]?.datafile_checksum).toBe(file.sha256);
});
