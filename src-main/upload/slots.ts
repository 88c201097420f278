/**
 * Uploads that may move at once, whatever the setting: the client keeps this many connections
 * to a host (DmClient's default), so more would only queue for a socket.
 */
export const MOST_AT_ONCE = 16;

/** The least share of a slot a file takes, however small: 8 small files per slot at most. */
const LEAST_SHARE = 1 / 8;

export interface SlotNeed {
  /** The file's bytes. */
  size: number;
  /** One chunk's bytes (a small file's own size counts against the setting's chunk size). */
  chunkSize: number;
}

/** What a journal row needs of a slot (a missing row: the least, it ends at once). */
export function slotNeedOf(
  u: { fileSize: number; chunkSize: number | null } | undefined,
  defaultChunkSize: number,
): SlotNeed {
  return u
    ? { size: u.fileSize, chunkSize: u.chunkSize ?? defaultChunkSize }
    : { size: 0, chunkSize: defaultChunkSize };
}

/**
 * A file's share of one of the `filesAtOnce` slots. A slot is sized for one chunk on the wire;
 * a file smaller than a chunk keeps its connection busy only a fraction of the time (the rest is
 * round trips: the POST's answer, the checks after it), so several such files share one slot.
 * This is what lets 20 files of 1 MiB move together on a long round trip, while big files keep
 * to the setting.
 */
export function slotShare(need: SlotNeed): number {
  if (!(need.chunkSize > 0)) return 1;
  return Math.min(1, Math.max(LEAST_SHARE, need.size / need.chunkSize));
}

/**
 * Whether the next queued upload may start beside those running. The queue is taken in order
 * (a big file waiting for room is not overtaken), and at least one upload always runs.
 */
export function mayStart(
  running: readonly SlotNeed[],
  next: SlotNeed,
  filesAtOnce: number,
): boolean {
  if (running.length === 0) return true;
  if (running.length >= MOST_AT_ONCE) return false;
  const used = running.reduce((sum, r) => sum + slotShare(r), 0);
  // A small tolerance: eight shares of 1/8 must fill exactly one slot, not overflow it.
  return used + slotShare(next) <= Math.max(1, filesAtOnce) + 1e-9;
}

/** A queued or running upload as the queue weighs it: its slot need and its API host. */
export interface HostedNeed extends SlotNeed {
  host: string;
  /** One target of a fan-out (one file to several accounts). */
  fanOut: boolean;
}

/**
 * `mayStart` for an upload on a host. A fan-out's target counts only against the uploads to its
 * own host: targets on different hosts go in parallel (each host has its own connections and
 * its own link), while on one host they keep to `filesAtOnce`. Any other upload counts against
 * everything running, as before.
 */
export function mayStartOnHost(
  running: readonly HostedNeed[],
  next: HostedNeed,
  filesAtOnce: number,
): boolean {
  const against = next.fanOut ? running.filter((r) => r.host === next.host) : running;
  return mayStart(against, next, filesAtOnce);
}
