import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import { createDmClient, type DmClient, type DmClientOptions } from '../../../src-main/dm/client';

export const FREE_KEY = 'k-free-0123456789abcdef';
export const COM_KEY = 'k-com-0123456789abcdef';

export async function sandbox(): Promise<Sandbox> {
  return startSandbox({
    accounts: [
      { key: FREE_KEY, tier: '0' },
      { key: COM_KEY, tier: '1' },
    ],
  });
}

/** Clients made here are closed by closeClients() (call it in afterEach/afterAll). */
const open: DmClient[] = [];

export function dmFor(sb: Sandbox, extra: Partial<DmClientOptions> = {}): DmClient {
  const c = createDmClient({
    baseUrl: sb.url,
    apiKey: COM_KEY,
    env: {},
    timeoutMs: 10_000,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    ...extra,
  });
  open.push(c);
  return c;
}

export async function closeClients(): Promise<void> {
  await Promise.all(open.splice(0).map((c) => c.close()));
}

export const md5Base64 = (b: Uint8Array): string => createHash('md5').update(b).digest('base64');
export const md5Hex = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Writes `size` random bytes to `path` a MiB at a time; returns the SHA-256 (hex). */
export function writeRandomFile(path: string, size: number): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  try {
    for (let left = size; left > 0;) {
      const piece = randomBytes(Math.min(left, 1024 * 1024));
      writeSync(fd, piece);
      hash.update(piece);
      left -= piece.length;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** SHA-256 and length of what a URL serves, hashed as it streams. */
export async function downloadDigest(
  url: string,
): Promise<{ sha256: string; size: number; status: number }> {
  const res = await fetch(url);
  const hash = createHash('sha256');
  let size = 0;
  if (res.body) {
    for await (const chunk of res.body) {
      hash.update(chunk);
      size += chunk.byteLength;
    }
  }
  return { sha256: hash.digest('hex'), size, status: res.status };
}
