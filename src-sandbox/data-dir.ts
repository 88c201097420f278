import { chmod, mkdir, readdir } from 'node:fs/promises';

/**
 * Makes the sandbox's data folder, private to its owner (0700): it holds accounts.json with the
 * API keys, and the uploaded images. A folder that already exists is tightened too when it is
 * empty or already a sandbox's (it has accounts.json: an earlier run made it 0755); any other
 * existing folder (`--data-dir .` or a home directory) is the user's to set, and keeps its mode:
 * accounts.json inside is 0600 either way.
 */
export async function makeDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const entries = await readdir(dir);
  if (entries.length === 0 || entries.includes('accounts.json')) await chmod(dir, 0o700);
}
