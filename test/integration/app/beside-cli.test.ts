import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bootApp, type BootedApp } from '../../../src-main/app/boot';
import type { UploadView } from '../../../src-main/app/contract';
import { dispatch } from '../../../src-main/app/input-guards';
import { openRuntime, type Runtime } from '../../../src-main/app/runtime';
import { whenFired } from '../../../src-main/core/event';
import { MiB } from '../../../src-main/core/limits';
import type { SecretStore } from '../../../src-main/secrets';
import { prepareUpload } from '../../../src-main/upload/prepare-upload';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import { useKeychain } from '../../helpers/keychain';

const keychain = useKeychain();
let app: BootedApp | undefined;
let cli: Runtime | undefined;
let sandbox: Sandbox | undefined;
let dir = '';

afterEach(async () => {
  await cli?.close();
  await app?.close();
  await sandbox?.close();
  cli = app = sandbox = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** The account's key, as a `firmdrop` run given it would hold it. */
function keyOnly(key: string): SecretStore {
  return {
    get: async () => key,
    set: async () => undefined,
    delete: async () => false,
    probe: async () => ({ ok: true }),
  };
}

function changed(a: BootedApp, test: (v: UploadView) => boolean): Promise<UploadView> {
  return whenFired((l) => a.service.events.on('upload:changed', l), test);
}

describe('the app beside another engine on the same journal (as with the firmdrop command)', () => {
  it('shows the other process’s upload live, refuses to pause it, and sees it finish', async () => {
    dir = mkdtempSync(join(tmpdir(), 'firmdrop-beside-'));
    const dataDir = join(dir, 'data');
    app = await bootApp({ dataDir, version: 't', keychain, resolveFile: (r) => r, sandbox: false });
    // A sandbox with its control layer (the embedded one has none), so the test can throttle it.
    const key = 'ak_beside_cli';
    sandbox = await startSandbox({ accounts: [{ key, tier: '1' }] });
    const added = await dispatch(app.service.api, 'accounts:add', {
      name: 'Beside',
      region: 'custom',
      baseUrl: sandbox.url,
      apiKey: key,
    });
    if (!added.ok) throw new Error(added.error.message);
    const account = added.value as { id: string };

    // A second engine in this process stands in for the CLI: same journal, its own owner id.
    cli = openRuntime({ dataDir, secrets: keyOnly(key), owner: 'cli' });
    const file = join(dir, 'beside.bin');
    writeFileSync(file, randomBytes(12 * MiB));
    sandbox.faults.setBandwidth(6 * MiB);
    const row = await prepareUpload(
      {
        store: cli.store,
        dm: await cli.accounts.clientFor(account.id),
        settings: cli.engineSettings(),
      },
      { accountId: account.id, filePath: file, name: 'beside', chunkSize: 5 * MiB },
    );
    const seen = changed(app, (v) => v.id === row.id && v.phase === 'uploading');
    cli.engine.enqueue(row.id);

    const moving = await seen;
    expect(moving.workedElsewhere).toMatch(/^the firmdrop command \(process \d+\)$/);
    const paused = await dispatch(app.service.api, 'uploads:pause', { id: row.id });
    expect(paused).toMatchObject({
      ok: false,
      error: { code: 'invalid-state', message: expect.stringMatching(/the firmdrop command/) },
    });

    const finished = changed(app, (v) => v.id === row.id && v.phase === 'done');
    sandbox.faults.setBandwidth(null);
    await cli.engine.whenIdle();
    expect(await finished).toMatchObject({ verified: true, workedElsewhere: null });
    expect(sandbox.stats().chunksAppended).toBe(3);
  });
});
