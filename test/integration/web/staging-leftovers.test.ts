import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, STAGING_FOLDER } from '../../../src-main/app/paths';
import { launchWebApp, type WebApp } from '../../../src-main/shells/web/launch';
import { openStore } from '../../../src-main/store';
import { memorySecrets } from '../../helpers/memory-secrets';

/**
 * Item 4 of issue 11: staged copies a previous run left behind (a half-received `.part`, a copy
 * of a refused batch or of a draft never started) are removed when the web shell starts; a copy
 * an unfinished upload still needs is kept.
 */
let root = '';
let web: WebApp | undefined;
afterEach(async () => {
  await web?.close();
  web = undefined;
  rmSync(root, { recursive: true, force: true });
});

const ref = (c: string) => `stg_${c.repeat(32)}`;

describe('staged leftovers at start', () => {
  it('removes .part files and copies no unfinished upload needs; keeps the ones one does', async () => {
    root = mkdtempSync(join(tmpdir(), 'firmdrop-leftovers-'));
    const dataDir = join(root, 'data');
    const staging = join(dataDir, STAGING_FOLDER);
    for (const [name, file] of [
      [ref('a'), 'needed.bin'],
      [ref('b'), 'refused.bin'],
      [ref('c'), 'done.bin'],
    ] as const) {
      mkdirSync(join(staging, name), { recursive: true });
      writeFileSync(join(staging, name, file), 'firmware');
    }
    writeFileSync(join(staging, `${ref('d')}.part`), 'half');
    writeFileSync(join(staging, 'notes.txt'), 'not a staged copy: not ours to remove');

    // The journal: one upload interrupted mid-way (needs its copy), one finished.
    const store = openStore({ file: join(dataDir, DATABASE_FILE) });
    const account = store.accounts.create({
      name: 'Prod',
      baseUrl: 'https://api.example.invalid',
      region: 'custom',
    });
    const upload = (file: string, name: string) =>
      store.uploads.createUpload({
        accountId: account.id,
        filePath: file,
        fileSize: 8,
        fileMtimeMs: 1,
        name,
        path: 'small',
      });
    upload(join(staging, ref('a'), 'needed.bin'), 'needed');
    const done = upload(join(staging, ref('c'), 'done.bin'), 'done');
    store.uploads.updateUpload(done.id, { state: 'done' });
    store.close();

    web = await launchWebApp({
      dataDir,
      rendererDir: join(root, 'renderer'),
      version: '0.0.0-test',
      keychain: memorySecrets(),
    });
    expect(readdirSync(staging).sort()).toEqual(['notes.txt', ref('a')]);
    expect(existsSync(join(staging, ref('a'), 'needed.bin'))).toBe(true);
    expect(web.shell.resolveStagedRef(ref('a'))).toBe(join(staging, ref('a'), 'needed.bin'));
  });
});
