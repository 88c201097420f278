import { rename, rm, writeFile } from 'node:fs/promises';

let seq = 0;

/**
 * Writes `data` to a temporary sibling and renames it over `path`: readers see old or new, never
 * half. `mode` is set when the temporary file is created, so a private file is never readable by
 * others, not even for a moment; the rename keeps it (and replaces an older file's looser mode).
 */
export async function writeFileAtomic(path: string, data: string, mode = 0o644): Promise<void> {
  const tmp = `${path}.${process.pid}-${++seq}.tmp`;
  try {
    await writeFile(tmp, data, { mode });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Serialises writes per file. The content is produced when the write's turn comes, so the last
 * write always persists the latest state even if two updates race; `null` deletes the file.
 */
export class WriteQueue {
  private readonly chains = new Map<string, Promise<void>>();
  private failure: unknown = null;

  schedule(path: string, produce: () => string | null, mode?: number): Promise<void> {
    const prev = this.chains.get(path) ?? Promise.resolve();
    const next = prev.then(async () => {
      const data = produce();
      if (data === null) await rm(path, { force: true });
      else await writeFileAtomic(path, data, mode);
    });
    const settled = next.catch((err: unknown) => {
      this.failure ??= err;
    });
    this.chains.set(path, settled);
    void settled.then(() => {
      if (this.chains.get(path) === settled) this.chains.delete(path);
    });
    return next;
  }

  /** Waits for every scheduled write; rethrows the first failure, if any. */
  async flush(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
    if (this.failure !== null) throw this.failure;
  }
}
