import type { Lease } from './leases-repo';

/**
 * Whether a process with this pid exists on this machine. Signal 0 checks without sending
 * anything: ESRCH means there is no such process; EPERM means there is one, owned by another
 * user. Anything we cannot tell (another error, a pid that is not a positive integer) counts as
 * alive: "dead" lets another engine take an upload at once, so it must only be said when sure.
 * A pid ≤ 0 is refused before process.kill, where 0 and -1 would address whole process groups.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * The `isDead` check for LeasesRepo.claim: the holder is gone when its lease expired, or when it
 * ran on this host and its process no longer exists (a crash, a SIGKILL, a closed terminal), so
 * the upload is picked up at once instead of after the lease's TTL.
 *
 * The pid check only ever makes a takeover faster; correctness rests on expiry. A pid the OS has
 * given to a later process looks alive, and then the lease simply runs out. A holder on another
 * host (a journal on a shared drive) cannot be checked from here, so only expiry frees it. `host`
 * must name the pid namespace: containers that share a data volume need distinct hostnames, or
 * one container's pids would be looked up in another's.
 */
export function leaseHolderDead(
  holder: Pick<Lease, 'pid' | 'host' | 'expiresAt'>,
  here: { host: string },
  now: number,
  alive: (pid: number) => boolean = isProcessAlive,
): boolean {
  if (holder.expiresAt <= now) return true;
  return holder.host === here.host && !alive(holder.pid);
}
