import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiB } from '../../src-main/core/limits';
import type { UploadSnapshot } from '../../src-main/upload/types';
import { engineHarness, serverState, type EngineHarness } from '../helpers/engine-harness';

/**
 * Bad input, each with the exact message a technician sees, and nothing lost: no journal row is
 * written for a refused upload, and the server is left as it was.
 */
let h: EngineHarness;
beforeAll(async () => {
  h = await engineHarness();
  const taken = h.file('taken.bin', 1000);
  const u = await h.add({ filePath: taken.path, name: 'fw-taken' });
  h.engine.enqueue(u.id);
  await h.engine.whenIdle();
});
afterAll(async () => h.close());

type Case = {
  label: string;
  input: () => { filePath: string; name?: string; description?: string; chunkSize?: number };
  code: string;
  message: RegExp;
};

const CASES: Case[] = [
  {
    label: 'missing file',
    input: () => ({ filePath: join(h.dir, 'nope.bin') }),
    code: 'file-missing',
    message:
      /^"nope\.bin" was not found at .*nope\.bin\. Check that the file still exists, or add it again\.$/,
  },
  {
    label: 'empty file',
    input: () => ({ filePath: h.file('empty.bin', 0).path }),
    code: 'file-empty',
    message:
      /^"empty\.bin" is empty \(0 bytes\)\. The service cannot hold an empty image: choose the built image file\.$/,
  },
  {
    label: 'directory',
    input: () => {
      const d = join(h.dir, 'build-output');
      mkdirSync(d, { recursive: true });
      return { filePath: d };
    },
    code: 'invalid-input',
    message: /^"build-output" is a folder\. Choose the firmware image file inside it\.$/,
  },
  {
    label: 'not a regular file (a pipe)',
    input: () => {
      const p = join(h.dir, 'fifo');
      execFileSync('mkfifo', [p]);
      return { filePath: p };
    },
    code: 'invalid-input',
    message:
      /^"fifo" is not a regular file \(a device or pipe\?\)\. Choose the firmware image file itself\.$/,
  },
  {
    label: 'name too long',
    input: () => ({ filePath: h.file('n.bin', 10).path, name: 'x'.repeat(131) }),
    code: 'invalid-input',
    message: /Name is 131 characters; the service allows 128\. Shorten it by 3\./,
  },
  {
    label: 'description too long',
    input: () => ({ filePath: h.file('d.bin', 10).path, description: 'd'.repeat(2001) }),
    code: 'invalid-input',
    message: /Description is 2,001 characters; the service allows 2,000\. Shorten it by 1\./,
  },
  {
    label: 'chunk size under 5 MiB',
    input: () => ({ filePath: h.file('c.bin', 10).path, chunkSize: 4 * MiB }),
    code: 'invalid-input',
    message: /chunk size.*5 MiB/i,
  },
  {
    label: 'chunk size over 100 MiB',
    input: () => ({ filePath: h.file('c2.bin', 10).path, chunkSize: 101 * MiB }),
    code: 'invalid-input',
    message: /chunk size.*100 MiB/i,
  },
  {
    label: 'taken name',
    input: () => ({ filePath: h.file('t.bin', 10).path, name: 'fw-taken' }),
    code: 'name-taken',
    message:
      /^The name "fw-taken" is already used by a firmware image of this account\. Use "fw-taken \(2\)" instead, or choose another name\.$/,
  },
];

describe('bad input is refused with a specific message and loses nothing', () => {
  it.each(CASES)('$label', async (c) => {
    const before = h.store.uploads.listUploads({ limit: 1000 }).length;
    const server = await serverState(h.dm);
    const err = await h.add(c.input()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: c.code });
    expect((err as Error).message).toMatch(c.message);
    expect(h.store.uploads.listUploads({ limit: 1000 })).toHaveLength(before);
    expect(await serverState(h.dm)).toEqual(server);
  });

  it('a file growing while it is read fails loudly at the next chunk, and Retry then uploads it whole', async () => {
    h.sandbox.faults.setBandwidth(8 * MiB);
    const { path } = h.file('growing.bin', 12 * MiB);
    const u = await h.add({ filePath: path, name: 'fw-growing' });
    let grown = false;
    const grow = (s: UploadSnapshot) => {
      if (!grown && s.upload.id === u.id && s.chunk?.current === 1) {
        grown = true;
        appendFileSync(path, Buffer.alloc(3 * MiB, 7));
      }
    };
    const sub = h.engine.onDidChange(grow);
    const appended = h.sandbox.stats().chunksAppended;
    h.engine.enqueue(u.id);
    await h.engine.whenIdle();
    sub.dispose();
    h.sandbox.faults.setBandwidth(null);
    const failed = h.store.uploads.getUpload(u.id)!;
    expect(failed.state).toBe('failed');
    expect(failed.errorCode).toBe('file-changed');
    // Noticed at the next chunk (chunk 2 of 3), saying what changed, never two byte counts.
    expect(failed.errorMessage).toMatch(
      /^growing\.bin grew from 12\.0 MiB to 15\.0 MiB during the upload \(modified at \d\d:\d\d:\d\d\)\. Wait until it is completely written, then retry: the upload starts over with the new file\.$/,
    );
    expect(h.sandbox.stats().chunksAppended - appended).toBe(1);
    await h.engine.retry(u.id);
    await h.engine.whenIdle();
    const done = h.store.uploads.getUpload(u.id)!;
    expect(done).toMatchObject({ state: 'done', verified: true, fileSize: 15 * MiB });
    expect((await serverState(h.dm)).openJobs).toBe(0);
  });
});
