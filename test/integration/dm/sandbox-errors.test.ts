import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DmClient } from '../../../src-main/dm/client';
import { DmApiError } from '../../../src-main/dm/errors';
import type { Sandbox } from '../../../src-sandbox';
import { everythingVisible } from './secrets';
import { closeClients, dmFor, FREE_KEY, sandbox, writeRandomFile } from './sandbox-fixture';

let sb: Sandbox;
const dir = mkdtempSync(join(tmpdir(), 'firmdrop-dm-errors-'));

beforeAll(async () => {
  sb = await sandbox();
});
afterEach(closeClients);
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
});

async function apiError(p: Promise<unknown>): Promise<DmApiError> {
  const err = await p.then(
    () => new Error('expected an HTTP error'),
    (e: unknown) => e,
  );
  if (err instanceof DmApiError) return err;
  throw err;
}

describe('service errors, mapped', () => {
  it('401: a wrong key names the host and the region rule, and never shows the key', async () => {
    const wrong = 'ak_wrong_key_0000000000000000000000';
    const err = await apiError(dmFor(sb, { apiKey: wrong }).getMyAccount());
    const host = new URL(sb.url).host;
    expect(err.code).toBe('unauthorized');
    expect(err.status).toBe(401);
    expect(err.message).toBe(
      `The API key was refused by ${host}. Check the key, and that the account's region is ${host} (a key only works in its own region).`,
    );
    expect(err.requestId).not.toBe('');
    expect(everythingVisible(err)).not.toContain(wrong);
  });

  it('404: an unknown job, image and chunk', async () => {
    const dm = dmFor(sb);
    expect(await apiError(dm.getUploadJob('0000'))).toMatchObject({
      code: 'not-found',
      path: '/v3/firmware-images/upload-jobs/0000',
    });
    expect(await apiError(dm.getImage('0000'))).toMatchObject({ code: 'not-found' });
    expect((await apiError(dm.deleteImage('0000'))).message).toContain(
      'Firmware image 0000 was not found',
    );
    const job = await dm.createUploadJob({ name: 'no-chunks', description: '', encrypt: false });
    expect(await apiError(dm.getChunk(job.id, 7))).toMatchObject({ code: 'not-found' });
  });

  it('409: a name taken by a job, then by an image', async () => {
    const dm = dmFor(sb);
    await dm.createUploadJob({ name: 'taken', description: '', encrypt: false });
    const err = await apiError(
      dm.createUploadJob({ name: 'taken', description: '', encrypt: false }),
    );
    expect(err.code).toBe('name-taken');
    expect(err.message).toBe(
      'An image or upload job named "taken" already exists in this account. Choose another name.',
    );
    const path = join(dir, 'n.bin');
    writeRandomFile(path, 10);
    const again = await apiError(
      dm.createImageSmall({
        name: 'taken',
        description: '',
        encrypt: false,
        file: { path, size: 10, fileName: 'n.bin' },
      }),
    );
    expect(again.code).toBe('name-taken');
  });

  it('400: a name over 128 characters comes back with its field', async () => {
    const err = await apiError(
      dmFor(sb).createUploadJob({ name: 'x'.repeat(129), description: '', encrypt: false }),
    );
    expect(err.code).toBe('invalid-input');
    expect(err.status).toBe(400);
    expect(err.fields.map((f) => f.name)).toContain('name');
    expect(err.message).toContain('name: ');
  });

  it('400: completing a job that has no data', async () => {
    const dm = dmFor(sb);
    const job = await dm.createUploadJob({
      name: 'empty-complete',
      description: '',
      encrypt: false,
    });
    expect(await apiError(dm.completeUploadJob(job.id))).toMatchObject({
      code: 'invalid-input',
      status: 400,
    });
  });

  it('403: the eleventh image on a free account is quota-full', async () => {
    const free: DmClient = dmFor(sb, { apiKey: FREE_KEY });
    const path = join(dir, 'q.bin');
    writeRandomFile(path, 100);
    const file = { path, size: 100, fileName: 'q.bin' };
    for (let i = await free.countImages(); i < 10; i++) {
      await free.createImageSmall({ name: `quota-${i}`, description: '', encrypt: false, file });
    }
    const err = await apiError(
      free.createImageSmall({ name: 'quota-11', description: '', encrypt: false, file }),
    );
    expect(err.code).toBe('quota-full');
    expect(err.message).toBe(
      "The account's firmware image quota is full (10 on a free account, 1,000 commercial): delete images or upgrade.",
    );
  });
});
