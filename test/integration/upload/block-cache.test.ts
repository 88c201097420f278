import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BlockCache } from '../../../src-main/upload/block-cache';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(bytes: number): { path: string; data: Buffer } {
  dir = mkdtempSync(join(tmpdir(), 'firmdrop-blocks-'));
  const data = randomBytes(bytes);
  const path = join(dir, 'fw.bin');
  writeFileSync(path, data);
  return { path, data };
}

describe('BlockCache (a fan-out reads each block once)', () => {
  it('three targets reading the same blocks: one read each, the others served from it', async () => {
    const { path, data } = file(1024 * 1024);
    const cache = new BlockCache(3, 4 * 1024 * 1024);
    const handles = await Promise.all([open(path), open(path), open(path)]);
    const block = 256 * 1024;
    for (let at = 0; at < data.length; at += block) {
      const got = await Promise.all(handles.map((fh) => cache.read(fh, at, block)));
      for (const b of got) expect(b.equals(data.subarray(at, at + block))).toBe(true);
    }
    expect(cache.stats).toEqual({ read: 4, reused: 8 });
    // Every block was taken by all its readers: nothing is held any more.
    expect(cache.bytes).toBe(0);
    await Promise.all(handles.map((fh) => fh.close()));
  });

  it('stays within its bound when one target never comes: the oldest blocks go', async () => {
    const { path, data } = file(2 * 1024 * 1024);
    const cache = new BlockCache(2, 512 * 1024);
    const fh = await open(path);
    const block = 256 * 1024;
    for (let at = 0; at < data.length; at += block) {
      await cache.read(fh, at, block);
      expect(cache.bytes).toBeLessThanOrEqual(512 * 1024);
    }
    // The last two blocks are still there for the missing reader; the first went.
    const late = await open(path);
    expect((await cache.read(late, data.length - block, block)).equals(data.subarray(-block))).toBe(
      true,
    );
    await cache.read(late, 0, block);
    expect(cache.stats).toEqual({ read: 9, reused: 1 });
    await Promise.all([fh.close(), late.close()]);
  });

  it('a block at the end of the file comes back short, as the file ended', async () => {
    const { path } = file(1000);
    const cache = new BlockCache(2, 1024 * 1024);
    const fh = await open(path);
    expect((await cache.read(fh, 512, 1024)).length).toBe(488);
    await fh.close();
  });
});
