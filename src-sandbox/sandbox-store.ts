import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { WriteQueue } from './atomic-file';
import { newId } from './ids';
import type { AccountRecord, ImageRecord, JobRecord } from './records';
import { dataLength } from './records';

/**
 * The sandbox's state: every record in memory (metadata is small), persisted as one JSON file
 * each under the data directory, with image and job data beside them as `.bin` files:
 *   accounts.json, images/<id>.json, images/<id>.bin, jobs/<id>.json, jobs/<id>.bin, tmp/
 * Map updates are synchronous, so checks and inserts cannot interleave; file writes are queued.
 */
export class SandboxStore {
  readonly images = new Map<string, ImageRecord>();
  readonly jobs = new Map<string, JobRecord>();
  private readonly writes = new WriteQueue();
  // Names and image slots claimed by creations still digesting their data.
  private readonly reserved = new Map<string, { names: Set<string>; slots: number }>();

  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<SandboxStore> {
    const store = new SandboxStore(dir);
    await mkdir(join(dir, 'images'), { recursive: true });
    await mkdir(join(dir, 'jobs'), { recursive: true });
    await rm(join(dir, 'tmp'), { recursive: true, force: true });
    await mkdir(join(dir, 'tmp'), { recursive: true });
    for (const image of await readRecords<ImageRecord>(join(dir, 'images'))) {
      store.images.set(image.id, image);
    }
    for (const job of await readRecords<JobRecord>(join(dir, 'jobs'))) {
      store.jobs.set(job.id, job);
      if (job.status !== 'completed') await trimToCommitted(store.jobDataPath(job.id), job);
    }
    return store;
  }

  imageDataPath(id: string): string {
    return join(this.dir, 'images', `${id}.bin`);
  }

  jobDataPath(id: string): string {
    return join(this.dir, 'jobs', `${id}.bin`);
  }

  tmpPath(): string {
    return join(this.dir, 'tmp', `${newId()}.part`);
  }

  accountImages(accountId: string): ImageRecord[] {
    return sortById([...this.images.values()].filter((i) => i.account_id === accountId));
  }

  accountJobs(accountId: string): JobRecord[] {
    return sortById([...this.jobs.values()].filter((j) => j.account_id === accountId));
  }

  /** Which kind of resource already holds `name` in the account, if any. */
  nameOwner(accountId: string, name: string, exceptJobId?: string): 'image' | 'job' | null {
    for (const i of this.images.values()) {
      if (i.account_id === accountId && i.name === name) return 'image';
    }
    for (const j of this.jobs.values()) {
      if (j.account_id === accountId && j.name === name && j.id !== exceptJobId) return 'job';
    }
    return this.reserved.get(accountId)?.names.has(name) ? 'image' : null;
  }

  /** Images held plus those being created right now. */
  imageCount(accountId: string): number {
    let n = this.reserved.get(accountId)?.slots ?? 0;
    for (const i of this.images.values()) if (i.account_id === accountId) n++;
    return n;
  }

  /** Claims an image slot (and a name) until the returned release is called. */
  reserve(accountId: string, name: string | null): () => void {
    const r = this.reserved.get(accountId) ?? { names: new Set<string>(), slots: 0 };
    this.reserved.set(accountId, r);
    r.slots++;
    if (name !== null) r.names.add(name);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      r.slots--;
      if (name !== null) r.names.delete(name);
    };
  }

  putImage(image: ImageRecord): Promise<void> {
    this.images.set(image.id, image);
    return this.persist('images', image.id, () => this.images.get(image.id));
  }

  putJob(job: JobRecord): Promise<void> {
    this.jobs.set(job.id, job);
    return this.persist('jobs', job.id, () => this.jobs.get(job.id));
  }

  async removeImage(id: string): Promise<void> {
    this.images.delete(id);
    await this.persist('images', id, () => undefined);
    await rm(this.imageDataPath(id), { force: true });
  }

  async removeJob(id: string): Promise<void> {
    this.jobs.delete(id);
    await this.persist('jobs', id, () => undefined);
    await rm(this.jobDataPath(id), { force: true });
  }

  async readAccounts(): Promise<AccountRecord[]> {
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, 'accounts.json'), 'utf8')) as {
        accounts?: AccountRecord[];
      };
      return parsed.accounts ?? [];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** accounts.json holds the API keys: readable by its owner only. */
  writeAccounts(accounts: AccountRecord[]): Promise<void> {
    const json = JSON.stringify({ version: 1, accounts }, null, 2);
    return this.writes.schedule(join(this.dir, 'accounts.json'), () => json, 0o600);
  }

  flush(): Promise<void> {
    return this.writes.flush();
  }

  private persist(
    kind: 'images' | 'jobs',
    id: string,
    current: () => object | undefined,
  ): Promise<void> {
    return this.writes.schedule(join(this.dir, kind, `${id}.json`), () => {
      const record = current();
      return record === undefined ? null : JSON.stringify(record, null, 2);
    });
  }
}

function sortById<T extends { id: string }>(items: T[]): T[] {
  return items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function readRecords<T>(dir: string): Promise<T[]> {
  const records: T[] = [];
  for (const name of await readdir(dir)) {
    if (name.endsWith('.tmp')) {
      await rm(join(dir, name), { force: true }); // a write cut short by a crash
    } else if (name.endsWith('.json')) {
      records.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as T);
    }
  }
  return records;
}

// A chunk being written when the process died is not part of the job: cut it off.
async function trimToCommitted(path: string, job: JobRecord): Promise<void> {
  const fh = await open(path, 'a+');
  try {
    const committed = dataLength(job);
    if ((await fh.stat()).size > committed) await fh.truncate(committed);
  } finally {
    await fh.close();
  }
}
