import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { FirmdropError } from '../core/errors';
import type { Disposable } from '../core/event';
import type { Store } from '../store';
import type { Lease, LeaseOwner } from '../store/leases-repo';
import { leaseHolderDead } from '../store/process-liveness';
import type { Clock } from './ports';

/** How long a lease lasts without a heartbeat, and how often the heartbeat renews it. */
export const LEASE_TTL_MS = 30_000;
export const HEARTBEAT_MS = 10_000;

export type OwnerKind = 'app' | 'web' | 'cli';

/**
 * Which uploads this engine may work on. The app, the web shell and any number of CLI runs share
 * one journal; each upload is worked by exactly one live process, the holder of its lease in
 * SQLite. A holder that dies stops renewing, so its lease runs out (at once when it ran on this
 * machine and its pid is gone) and another engine may take the upload over, reconciling with the
 * server first like any resume. Correctness rests on the lease alone; the pid check only makes
 * taking over a crashed run fast.
 */
export class Ownership implements Disposable {
  readonly owner: LeaseOwner;
  private readonly heartbeat: Disposable;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    kind: OwnerKind,
  ) {
    this.owner = { id: randomUUID(), pid: process.pid, host: hostname(), kind };
    this.heartbeat = clock.every(HEARTBEAT_MS, () => this.renew());
  }

  /** Takes the upload, or throws a message naming the live process that works on it. */
  claim(uploadId: string): { tookOver: Lease | null } {
    const r = this.store.leases.claim(uploadId, this.owner, {
      now: this.clock.now(),
      ttlMs: LEASE_TTL_MS,
      isDead: (holder) => this.isGone(holder),
    });
    if (!r.ok) throw ownedElsewhere(r.holder);
    return { tookOver: r.tookOver };
  }

  /** Whether the upload may be claimed now (no lease, our own, or a holder that is gone). */
  free(uploadId: string): boolean {
    const lease = this.store.leases.get(uploadId);
    return lease === undefined || lease.id === this.owner.id || this.isGone(lease);
  }

  /** The live process other than us that works on the upload, or null. */
  heldElsewhere(uploadId: string): Lease | null {
    const lease = this.store.leases.get(uploadId);
    if (!lease || lease.id === this.owner.id || this.isGone(lease)) return null;
    return lease;
  }

  release(uploadId: string): void {
    this.store.leases.release(uploadId, this.owner.id);
  }

  dispose(): void {
    this.heartbeat.dispose();
    this.store.leases.releaseAll(this.owner.id);
  }

  private renew(): void {
    try {
      this.store.leases.renew(this.owner.id, this.clock.now(), LEASE_TTL_MS);
    } catch {
      // A busy or briefly unwritable database: the next beat tries again well within the TTL.
    }
  }

  private isGone(holder: Lease): boolean {
    return leaseHolderDead(holder, { host: this.owner.host }, this.clock.now());
  }
}

export function describeOwner(lease: Pick<Lease, 'kind' | 'pid' | 'host'>): string {
  const what =
    lease.kind === 'cli'
      ? 'the firmdrop command'
      : lease.kind === 'web'
        ? 'Firmdrop (web)'
        : 'the Firmdrop app';
  const here = lease.host === hostname() ? '' : ` on ${lease.host}`;
  return `${what} (process ${lease.pid}${here})`;
}

export function ownedElsewhere(holder: Lease): FirmdropError {
  return new FirmdropError(
    'invalid-state',
    `This upload is being worked on by ${describeOwner(holder)}. Pause or stop it there, or wait for it to finish.`,
  );
}
