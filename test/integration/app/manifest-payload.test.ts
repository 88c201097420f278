import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { bootApp, type BootedApp } from '../../../src-main/app/boot';
import type {
  AccountView,
  ManifestPayloadView,
  Result,
  UploadView,
} from '../../../src-main/app/contract';
import { dispatch } from '../../../src-main/app/input-guards';
import { STAGING_FOLDER } from '../../../src-main/app/paths';
import { whenFired } from '../../../src-main/core/event';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import { useKeychain } from '../../helpers/keychain';

// "Copy for manifest-tool" through the guard every shell uses: a real journal, the real keychain,
// the sandbox over HTTP. What is under test is where file-path comes from.
const keychain = useKeychain();
let app: BootedApp | undefined;
let sb: Sandbox | undefined;
let dir = '';

afterEach(async () => {
  await app?.close();
  await sb?.close();
  app = sb = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function boot(): Promise<{ a: BootedApp; accountId: string; dataDir: string }> {
  dir = mkdtempSync(join(tmpdir(), 'firmdrop-manifest-'));
  const dataDir = join(dir, 'data');
  app = await bootApp({
    dataDir,
    version: '0.0.0-test',
    keychain,
    resolveFile: (ref) => ref,
    sandbox: false,
  });
  sb = await startSandbox({
    accounts: [{ key: `ak_${randomBytes(16).toString('hex')}`, tier: '1' }],
  });
  const account = await call<AccountView>(app, 'accounts:add', {
    name: 'Lab: "west" #2',
    region: 'custom',
    baseUrl: sb.url,
    apiKey: sb.accounts[0]!.key,
  });
  return { a: app, accountId: account.id, dataDir };
}

const ask = (a: BootedApp, channel: string, input?: unknown) =>
  dispatch(a.service.api, channel, input) as Promise<Result<unknown>>;

async function call<T>(a: BootedApp, channel: string, input?: unknown): Promise<T> {
  const r = await ask(a, channel, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

/** Uploads the file at `path` and waits for its verification. */
async function uploadAt(a: BootedApp, accountId: string, path: string): Promise<UploadView> {
  writeFileSync(path, randomBytes(4096));
  const done = whenFired<UploadView>(
    (l) => a.service.events.on('upload:changed', l),
    (v) => v.phase === 'done' || v.phase === 'failed',
  );
  await call(a, 'uploads:add', {
    uploads: [{ file: { ref: path, fileName: 'x.bin', size: 4096 }, accountId }],
  });
  const u = await done;
  expect(u.error).toBeNull();
  return u;
}

describe('images:manifest-payload', () => {
  it('fills file-path from the local history, for the upload and for the image alike', async () => {
    const { a, accountId } = await boot();
    const path = join(dir, 'fw plain.bin');
    const u = await uploadAt(a, accountId, path);
    const expected = { payload: { url: u.datafileUrl, format: 'raw-binary', 'file-path': path } };

    const fromUpload = await call<ManifestPayloadView>(a, 'images:manifest-payload', {
      uploadId: u.id,
    });
    expect(fromUpload).toMatchObject({
      format: 'raw-binary',
      encrypted: false,
      filePathKnown: true,
    });
    expect(yaml.load(fromUpload.yaml)).toEqual(expected);
    expect(fromUpload.yaml).toContain('on account "Lab: \\"west\\" #2"');

    const fromImage = await call<ManifestPayloadView>(a, 'images:manifest-payload', {
      accountId,
      id: u.imageId,
    });
    expect(yaml.load(fromImage.yaml)).toEqual(expected);
  });

  it('leaves file-path out for a spooled copy of the web shell, even while it still exists', async () => {
    const { a, accountId, dataDir } = await boot();
    const staging = join(dataDir, STAGING_FOLDER);
    mkdirSync(staging, { recursive: true });
    const u = await uploadAt(a, accountId, join(staging, `stg_${randomBytes(16).toString('hex')}`));
    const view = await call<ManifestPayloadView>(a, 'images:manifest-payload', { uploadId: u.id });
    expect(view.filePathKnown).toBe(false);
    expect(yaml.load(view.yaml)).toEqual({ payload: { url: u.datafileUrl, format: 'raw-binary' } });
  });

  it('says why when there is nothing to describe, and refuses malformed requests', async () => {
    const { a, accountId } = await boot();
    const gone = await ask(a, 'images:manifest-payload', { uploadId: 'no-such-upload' });
    expect(gone).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const missing = await ask(a, 'images:manifest-payload', { accountId, id: 'f'.repeat(32) });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    for (const bad of [{ uploadId: '' }, { accountId, id: 'x', uploadId: 'y' }, { id: 'x' }]) {
      expect(await ask(a, 'images:manifest-payload', bad)).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' },
      });
    }
  });
});
