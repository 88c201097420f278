import { NAME_MAX } from '../core/limits';
import { suggestFreeName } from '../core/free-name';
import type { DmClient } from '../dm/client';
import { paginate } from '../dm/paginate';

/** The two lists that hold names: enough to check them. */
type NameLists = Pick<DmClient, 'listImages' | 'listUploadJobs'>;

export interface NameUse {
  image: boolean;
  job: boolean;
}

/**
 * How long the `name__in` list of one request may grow (characters, encoded): names are up to
 * 128 characters, and proxies commonly refuse request lines beyond 8 KiB.
 */
const MAX_IN_LIST = 6000;

/**
 * The service refuses (409) a name held by an image *or* an upload job of the account, so both
 * lists are asked. Exact comparison: a filter may match more loosely than the uniqueness rule.
 */
export async function nameInUse(
  dm: NameLists,
  name: string,
  signal?: AbortSignal,
): Promise<NameUse> {
  return (await namesInUse(dm, [name], signal)).get(name) ?? { image: false, job: false };
}

/**
 * Many names at once: one `name__in` request to each list (the spec's filter, comma-separated
 * values) instead of two requests per name, so a batch of files costs one round trip. A name
 * holding a comma, or spaces at its ends, cannot be written in such a list (the service splits
 * on commas and trims each value), so it is asked with `name__eq` alone, in the same round.
 */
export async function namesInUse(
  dm: NameLists,
  names: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, NameUse>> {
  const wanted = [...new Set(names)];
  const listable = wanted.filter((n) => !n.includes(',') && n.trim() === n && n !== '');
  const alone = wanted.filter((n) => !listable.includes(n));
  const groups = [
    ...splitForUrl(listable).map((g) => ({ name__in: g })),
    ...alone.map((n) => ({ name__eq: n })),
  ];
  const found = await Promise.all(
    groups.flatMap((filter) => {
      const limit = Math.min(
        1000,
        Math.max(2, 2 * ('name__in' in filter ? filter.name__in.length : 1)),
      );
      return [
        collect(
          paginate((q) => dm.listImages(q, { signal }), { ...filter, limit }),
          'image',
        ),
        collect(
          paginate((q) => dm.listUploadJobs(q, { signal }), { ...filter, limit }),
          'job',
        ),
      ];
    }),
  );
  const use = new Map(wanted.map((n) => [n, { image: false, job: false }]));
  for (const held of found) {
    for (const { name, by } of held) {
      const u = use.get(name);
      if (u) u[by] = true;
    }
  }
  return use;
}

async function collect(
  items: AsyncIterable<{ name: string }>,
  by: keyof NameUse,
): Promise<Array<{ name: string; by: keyof NameUse }>> {
  const out: Array<{ name: string; by: keyof NameUse }> = [];
  for await (const item of items) out.push({ name: item.name, by });
  return out;
}

function splitForUrl(names: readonly string[]): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let length = 0;
  for (const name of names) {
    const size = encodeURIComponent(name).length + 3; // the comma, encoded
    if (group.length > 0 && length + size > MAX_IN_LIST) {
      groups.push(group);
      group = [];
      length = 0;
    }
    group.push(name);
    length += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** How many numbered names ("fw (2)", "fw (3)", …) one look-up asks about at once. */
const CANDIDATES = 6;

/**
 * A free name close to `name` ("fw-1.2 (2)"), checked against the server, or null. The next
 * few candidates are asked about together (one round trip), and the first free one is taken.
 */
export async function freeNameFor(
  dm: NameLists,
  name: string,
  signal?: AbortSignal,
): Promise<string | null> {
  const candidates: string[] = [];
  const planned = new Set<string>();
  for (let i = 0; i < CANDIDATES; i++) {
    const next = suggestFreeName(name, planned, { maxLength: NAME_MAX });
    planned.add(next);
    candidates.push(next);
  }
  const use = await namesInUse(dm, candidates, signal);
  return candidates.find((c) => !use.get(c)?.image && !use.get(c)?.job) ?? null;
}

export function takenMessage(name: string, use: NameUse, free: string | null): string {
  const holder = use.image ? 'a firmware image' : 'an upload job';
  const fix = free ? ` Use "${free}" instead, or choose another name.` : ' Choose another name.';
  return `The name "${name}" is already used by ${holder} of this account.${fix}`;
}
