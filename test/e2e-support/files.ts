import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { e2eEnv } from './env';

export const KiB = 1024;
export const MiB = 1024 * KiB;

export interface TestFile {
  path: string;
  /** The file name, which Firmdrop proposes as the image name. */
  name: string;
  size: number;
  sha256: string;
  data: Buffer;
}

/** A short random tag that keeps names unique across tests and repeated runs. */
export function tag(): string {
  return randomBytes(4).toString('hex');
}

/** Random bytes (nothing compressible or aligned to hide an error) in a folder of their own. */
export async function makeFile(name: string, size: number): Promise<TestFile> {
  const dir = await mkdtemp(join(e2eEnv().filesDir, 'f-'));
  const data = randomBytes(size);
  const path = join(dir, name);
  await writeFile(path, data);
  return { path, name, size, data, sha256: createHash('sha256').update(data).digest('hex') };
}
