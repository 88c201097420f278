import { NAME_MAX } from '../core/limits';
import { suggestFreeName } from '../core/free-name';
import type { DmClient } from '../dm/client';

/** The two lists that hold names: enough to check one. */
type NameLists = Pick<DmClient, 'listImages' | 'listUploadJobs'>;

export interface NameUse {
  image: boolean;
  job: boolean;
}

/**
 * The service refuses (409) a name held by an image *or* an upload job of the account, so both
 * lists are asked. Exact comparison: a filter may match more loosely than the uniqueness rule.
 */
export async function nameInUse(
  dm: NameLists,
  name: string,
  signal?: AbortSignal,
): Promise<NameUse> {
  const [images, jobs] = await Promise.all([
    dm.listImages({ name__eq: name, limit: 2 }, { signal }),
    dm.listUploadJobs({ name__eq: name, limit: 2 }, { signal }),
  ]);
  return {
    image: images.data.some((i) => i.name === name),
    job: jobs.data.some((j) => j.name === name),
  };
}

/** A free name close to `name` ("fw-1.2 (2)"), checked against the server, or null. */
export async function freeNameFor(
  dm: NameLists,
  name: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const checked = new Map<string, boolean>();
  for (let tries = 0; tries < 6; tries++) {
    const candidate = suggestFreeName(name, (n) => checked.has(n), { maxLength: NAME_MAX });
    const use = await nameInUse(dm, candidate, signal);
    if (!use.image && !use.job) return candidate;
    checked.set(candidate, true);
  }
  return null;
}

export function takenMessage(name: string, use: NameUse, free: string | null): string {
  const holder = use.image ? 'a firmware image' : 'an upload job';
  const fix = free ? ` Use "${free}" instead, or choose another name.` : ' Choose another name.';
  return `The name "${name}" is already used by ${holder} of this account.${fix}`;
}
