/**
 * Ambiguous creations: a `POST /v3/firmware-images/upload-jobs` or `POST /v3/firmware-images/`
 * that died without an answer may or may not have created something. The engine lists by name
 * (`name__eq`) and these rules decide; like chunks, never guess and never create twice.
 */
export interface FoundJob {
  id: string;
  name: string;
  completed: boolean;
  /** How many chunks `GET …/chunks` lists for it. */
  chunkCount: number;
}

export type CreateReconcile =
  { kind: 'adopt'; jobId: string } | { kind: 'create' } | { kind: 'conflict'; reason: string };

/**
 * Adopt only a single open job with no chunks. A job with chunks cannot be the one our lost POST
 * made: the journal commits a job's id before any chunk is sent to it, so chunks on a job whose id
 * we never learned were sent by someone else, and appending to it would corrupt their image.
 */
export function reconcileCreate(name: string, found: readonly FoundJob[]): CreateReconcile {
  // Exact match only: a filter may be looser (case, prefix) than the service's uniqueness rule.
  const same = found.filter((j) => j.name === name);
  if (same.length === 0) return { kind: 'create' };
  if (same.length > 1) {
    return conflict(`${same.length} upload jobs are named "${name}"; expected at most one.`);
  }
  const [job] = same;
  if (job === undefined) return { kind: 'create' }; // unreachable: length is 1
  if (job.completed) {
    return conflict(
      `A completed upload job named "${name}" exists, so an image already holds that name.`,
    );
  }
  if (job.chunkCount > 0) {
    return conflict(
      `An upload job named "${name}" already holds ${job.chunkCount} chunk(s) that this upload did not send; another upload may be using the name.`,
    );
  }
  return { kind: 'adopt', jobId: job.id };
}

export interface FoundImage {
  id: string;
  name: string;
  datafileSize: number | null;
  /** SHA-256 hex as the service reports it; null or '' when it has none yet. */
  datafileChecksum: string | null;
}

export interface SmallPostReconcileInput {
  name: string;
  size: number;
  sha256Hex: string;
  found: readonly FoundImage[];
}

export type SmallPostReconcile =
  { kind: 'adopt'; imageId: string } | { kind: 'retry' } | { kind: 'conflict'; reason: string };

/**
 * An image with our name, size and SHA-256 is adopted (the outcome we wanted exists, whoever made
 * it); no image with the name means the POST did not land, so post again; anything else conflicts.
 */
export function reconcileSmallPost(input: SmallPostReconcileInput): SmallPostReconcile {
  const same = input.found.filter((i) => i.name === input.name);
  if (same.length === 0) return { kind: 'retry' };
  if (same.length > 1) {
    return conflict(`${same.length} images are named "${input.name}"; expected at most one.`);
  }
  const [image] = same;
  if (image === undefined) return { kind: 'retry' }; // unreachable: length is 1
  const checksum = (image.datafileChecksum ?? '').trim().toLowerCase();
  if (
    image.datafileSize === input.size &&
    checksum !== '' &&
    checksum === input.sha256Hex.toLowerCase()
  ) {
    return { kind: 'adopt', imageId: image.id };
  }
  return conflict(
    `An image named "${input.name}" already exists with different content (${image.datafileSize ?? 'unknown'} bytes, SHA-256 ${checksum || 'unknown'}).`,
  );
}

function conflict(reason: string): { kind: 'conflict'; reason: string } {
  return { kind: 'conflict', reason };
}
