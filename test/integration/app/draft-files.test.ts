import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootApp, type BootedApp } from '../../../src-main/app/boot';
import type { UploadView } from '../../../src-main/app/contract';
import { DraftFiles } from '../../../src-main/app/draft-files';
import { dispatch } from '../../../src-main/app/input-guards';
import { whenFired } from '../../../src-main/core/event';
import { hashFile } from '../../../src-main/upload/file-hash';
import { useKeychain } from '../../helpers/keychain';

const MiB = 1024 * 1024;
let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'firmdrop-draft-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer): { path: string; sha256: string } {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, sha256: createHash('sha256').update(bytes).digest('hex') };
}

describe('DraftFiles: background hashes of staged files (real files, the chunk worker)', () => {
  it('hashes a staged file once, however often it is asked', async () => {
    const f = file('fw.bin', randomBytes(3 * MiB + 7));
    const files = new DraftFiles((ref) => (ref === 'stg_1' ? f.path : null));
    const first = files.digest('stg_1');
    expect(files.digest('stg_1')).toBe(first);
    expect(await first).toEqual({ size: 3 * MiB + 7, sha256: f.sha256 });
    files.dispose();
  });

  it('says what is wrong with an empty or vanished file, in the engine’s words', async () => {
    const empty = file('empty.bin', Buffer.alloc(0));
    const files = new DraftFiles((ref) => (ref === 'gone' ? null : empty.path));
    await expect(files.digest('empty')).rejects.toMatchObject({
      code: 'file-empty',
      message:
        '"empty.bin" is empty (0 bytes). The service cannot hold an empty image: choose the built image file.',
    });
    await expect(files.digest('gone')).rejects.toMatchObject({ code: 'file-missing' });
  });

  it('stops the hash of a removed draft, and the others still finish', async () => {
    const paths = ['a', 'b', 'c'].map((n) => file(`${n}.bin`, randomBytes(2 * MiB)));
    const files = new DraftFiles((ref) => paths[Number(ref)]?.path ?? null);
    // Two hash at once; the third waits for a slot and is removed while it waits.
    const digests = ['0', '1', '2'].map((ref) => files.digest(ref));
    files.forget('2');
    await expect(digests[2]).rejects.toMatchObject({ code: 'cancelled' });
    expect((await digests[0])?.sha256).toBe(paths[0]?.sha256);
    expect((await digests[1])?.sha256).toBe(paths[1]?.sha256);
    // Forgotten means forgotten: asking again hashes anew (and succeeds).
    expect((await files.digest('2')).sha256).toBe(paths[2]?.sha256);
  });

  it('an abort ends a hash in progress as cancelled, not as an unreadable file', async () => {
    const big = file('big.bin', randomBytes(64 * MiB));
    const controller = new AbortController();
    const hashing = hashFile(big.path, 64 * MiB, controller.signal);
    // The worker needs far longer than one turn of the event loop for 64 MiB.
    setImmediate(() => controller.abort());
    await expect(hashing).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('drafts:digest and images:same-file through the application service', () => {
  const keychain = useKeychain();
  let app: BootedApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function call(a: BootedApp, channel: string, input?: unknown): Promise<unknown> {
    const r = await dispatch(a.service.api, channel, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value;
  }

  it('finds the image already holding a file’s SHA-256 on that account, and only that one', async () => {
    app = await bootApp({
      dataDir: join(dir, 'data'),
      version: '0.0.0-test',
      keychain,
      resolveFile: (ref) => ref,
    });
    const a = app;
    const [sandbox] = (await call(a, 'accounts:list')) as Array<{ id: string }>;
    const accountId = sandbox?.id ?? '';
    const uploaded = file('fw-2.0.bin', randomBytes(200 * 1024));
    const other = file('fw-2.1.bin', randomBytes(200 * 1024));
    const [view] = (await call(a, 'uploads:add', {
      uploads: [
        { file: { ref: uploaded.path, fileName: 'fw-2.0.bin', size: 200 * 1024 }, accountId },
      ],
    })) as UploadView[];
    await whenFired(
      (listener) => a.service.events.on('upload:changed', listener),
      (v: UploadView) => v.id === view?.id && v.phase === 'done',
    );

    const digest = (await call(a, 'drafts:digest', { ref: uploaded.path })) as { sha256: string };
    expect(digest.sha256).toBe(uploaded.sha256);
    expect(await call(a, 'images:same-file', { accountId, sha256: digest.sha256 })).toEqual([
      { id: expect.any(String), name: 'fw-2.0.bin' },
    ]);
    const otherDigest = (await call(a, 'drafts:digest', { ref: other.path })) as { sha256: string };
    expect(await call(a, 'images:same-file', { accountId, sha256: otherDigest.sha256 })).toEqual(
      [],
    );
    await expect(
      call(a, 'images:same-file', { accountId, sha256: 'not-a-hash' }),
    ).rejects.toThrow();
  });
});
