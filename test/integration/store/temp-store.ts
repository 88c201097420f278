import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore } from '../../../src-main/store';
import type { OpenStoreOptions, Store } from '../../../src-main/store';

/** A fresh directory per call, removed (with any store opened through `open`) after each test. */
export function useTempDir(): {
  dir: () => string;
  open: (opts?: Partial<OpenStoreOptions>) => Store;
} {
  const dirs: string[] = [];
  const stores: Store[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) if (s.db.open) s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'firmdrop-store-'));
    dirs.push(d);
    return d;
  };
  return {
    dir,
    open(opts = {}) {
      const store = openStore({ file: join(dir(), 'firmdrop.db'), ...opts });
      stores.push(store);
      return store;
    },
  };
}

/** A clock that advances 1 ms per reading, so created/updated times are distinct and ordered. */
export function steppingClock(start = 1_700_000_000_000): () => number {
  let t = start;
  return () => t++;
}

export const sampleAccount = {
  name: 'Production EU',
  baseUrl: 'https://api.eu-west-1.mbedcloud.com',
  region: 'eu-west-1',
} as const;

export function sampleUpload(accountId: string) {
  return {
    accountId,
    filePath: '/firmware/app-v2.bin',
    fileSize: 12 * 1024 * 1024,
    fileMtimeMs: 1_700_000_000_123.456,
    name: 'app-v2',
    path: 'job',
  } as const;
}
