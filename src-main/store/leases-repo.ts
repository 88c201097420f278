import type { Database } from 'better-sqlite3';
import { FirmdropError } from '../core/errors';
import { writeTransaction } from './write-transaction';

/** An engine instance that may hold uploads. `id` is random per instance, never reused. */
export interface LeaseOwner {
  id: string;
  pid: number;
  /** os.hostname() of the holder: its pid only means something on that host. */
  host: string;
  /** Which shell runs the engine ('app', 'cli', 'web'): for messages such as "held by …". */
  kind: string;
}

export interface Lease extends LeaseOwner {
  uploadId: string;
  acquiredAt: number;
  heartbeatAt: number;
  expiresAt: number;
}

export type ClaimResult =
  /** `tookOver`: the previous holder, gone (expired or dead), whose lease this replaced. */
  | { ok: true; lease: Lease; tookOver: Lease | null }
  /** Another owner holds the upload and is alive. */
  | { ok: false; holder: Lease };

export interface ClaimOptions {
  /** ms since the epoch. Every process on one machine reads the same clock. */
  now: number;
  /** How long the lease lasts without a heartbeat (renew). */
  ttlMs: number;
  /**
   * Whether a holder whose lease has not expired is gone anyway (see leaseHolderDead). It runs
   * inside the write transaction, so it must be quick and must not touch the store.
   */
  isDead: (holder: Lease) => boolean;
}

/**
 * Who may send an upload's chunks. The app, the web shell and CLI runs share one journal; two
 * engines sending one upload would append to the same server job at once, which the service
 * stores in arrival order, ruining it. So an engine claims an upload before it works on it,
 * renews all its leases on a heartbeat well inside the TTL, and releases them when done. A lease
 * whose owner stopped renewing (crashed, hung, lost its disk) expires and can be taken over;
 * one whose owner's process is known to be gone can be taken over at once.
 *
 * The lease is advisory: only engines that claim respect it. It does not fence a holder that
 * hangs past its TTL and then wakes; such a holder learns it lost the lease from `renew` (the
 * upload is no longer in the list) and must stop sending that upload.
 */
export interface LeasesRepo {
  /**
   * Takes the upload for `owner` unless another owner holds it and is neither expired nor dead.
   * The owner claiming its own lease again renews it. One write transaction (BEGIN IMMEDIATE),
   * so of several engines claiming at once exactly one wins. FirmdropError('not-found') when
   * there is no such upload.
   */
  claim(uploadId: string, owner: LeaseOwner, opts: ClaimOptions): ClaimResult;
  /**
   * The heartbeat: extends every lease of this owner to `now + ttlMs` and returns the upload ids
   * it still holds (sorted). An upload missing from the list was taken over or deleted: stop it.
   */
  renew(ownerId: string, now: number, ttlMs: number): string[];
  /** Drops the lease if this owner holds it. False when it did not (never, or taken over). */
  release(uploadId: string, ownerId: string): boolean;
  /** Drops every lease of this owner (a clean shutdown). Returns how many. */
  releaseAll(ownerId: string): number;
  get(uploadId: string): Lease | undefined;
  /** Every lease, expired ones included, oldest claim first. */
  list(): Lease[];
}

interface LeaseRow {
  upload_id: string;
  owner_id: string;
  owner_pid: number;
  owner_host: string;
  owner_kind: string;
  acquired_at: number;
  heartbeat_at: number;
  expires_at: number;
}

function toLease(r: LeaseRow): Lease {
  return {
    uploadId: r.upload_id,
    id: r.owner_id,
    pid: r.owner_pid,
    host: r.owner_host,
    kind: r.owner_kind,
    acquiredAt: r.acquired_at,
    heartbeatAt: r.heartbeat_at,
    expiresAt: r.expires_at,
  };
}

function checkOwner(owner: LeaseOwner): void {
  const text = (s: unknown) => typeof s === 'string' && s.length > 0;
  if (!text(owner.id) || !text(owner.host) || !text(owner.kind)) {
    throw new FirmdropError(
      'internal',
      `A lease owner needs a non-empty id, host and kind (got id "${owner.id}", host ` +
        `"${owner.host}", kind "${owner.kind}"). This is a bug in Firmdrop.`,
    );
  }
  if (!Number.isSafeInteger(owner.pid) || owner.pid <= 0) {
    throw new FirmdropError(
      'internal',
      `A lease owner's pid is a positive whole number, not ${owner.pid}. This is a bug in Firmdrop.`,
    );
  }
}

/** Whole ms, so the STRICT INTEGER columns take them and expiry compares exactly. */
function checkTimes(now: number, ttlMs: number): void {
  if (!Number.isSafeInteger(now) || now < 0 || !Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new FirmdropError(
      'internal',
      `A lease needs whole milliseconds: now ≥ 0 and a TTL > 0 (got now ${now}, ttl ${ttlMs}). ` +
        'This is a bug in Firmdrop.',
    );
  }
}

export function createLeasesRepo(db: Database): LeasesRepo {
  const uploadExists = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM uploads WHERE id = ?',
  );
  const one = db.prepare<[string], LeaseRow>('SELECT * FROM upload_leases WHERE upload_id = ?');
  const every = db.prepare<[], LeaseRow>(
    'SELECT * FROM upload_leases ORDER BY acquired_at, upload_id',
  );
  // Insert or replace in one statement: the row is new, or the previous holder is gone.
  const take = db.prepare(`
    INSERT INTO upload_leases (upload_id, owner_id, owner_pid, owner_host, owner_kind,
                               acquired_at, heartbeat_at, expires_at)
    VALUES (@upload_id, @owner_id, @owner_pid, @owner_host, @owner_kind, @now, @now, @expires_at)
    ON CONFLICT (upload_id) DO UPDATE SET
      owner_id = excluded.owner_id, owner_pid = excluded.owner_pid,
      owner_host = excluded.owner_host, owner_kind = excluded.owner_kind,
      acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at,
      expires_at = excluded.expires_at`);
  const extendOne = db.prepare<[number, number, string, string]>(
    'UPDATE upload_leases SET heartbeat_at = ?, expires_at = ? WHERE upload_id = ? AND owner_id = ?',
  );
  const extendAll = db.prepare<[number, number, string], { upload_id: string }>(
    'UPDATE upload_leases SET heartbeat_at = ?, expires_at = ? WHERE owner_id = ? RETURNING upload_id',
  );
  const removeOne = db.prepare<[string, string]>(
    'DELETE FROM upload_leases WHERE upload_id = ? AND owner_id = ?',
  );
  const removeAll = db.prepare<[string]>('DELETE FROM upload_leases WHERE owner_id = ?');

  return {
    // IMMEDIATE matters here: a deferred transaction would let two engines both read "free" (or
    // both read the same expired holder) before either writes; the later writer would then fail
    // with SQLITE_BUSY instead of being told who holds the upload.
    claim: writeTransaction(db, (uploadId: string, owner: LeaseOwner, opts: ClaimOptions) => {
      checkOwner(owner);
      checkTimes(opts.now, opts.ttlMs);
      if (!uploadExists.get(uploadId)) {
        throw new FirmdropError(
          'not-found',
          `No upload with id ${uploadId} exists (it may have been removed), so it cannot be started.`,
        );
      }
      const expiresAt = opts.now + opts.ttlMs;
      const row = one.get(uploadId);
      const current = row && toLease(row);
      if (current?.id === owner.id) {
        extendOne.run(opts.now, expiresAt, uploadId, owner.id);
        return {
          ok: true,
          lease: { ...current, heartbeatAt: opts.now, expiresAt },
          tookOver: null,
        };
      }
      // Expiry first: an expired holder needs no pid lookup.
      if (current && current.expiresAt > opts.now && !opts.isDead(current)) {
        return { ok: false, holder: current };
      }
      take.run({
        upload_id: uploadId,
        owner_id: owner.id,
        owner_pid: owner.pid,
        owner_host: owner.host,
        owner_kind: owner.kind,
        now: opts.now,
        expires_at: expiresAt,
      });
      const lease: Lease = {
        uploadId,
        id: owner.id,
        pid: owner.pid,
        host: owner.host,
        kind: owner.kind,
        acquiredAt: opts.now,
        heartbeatAt: opts.now,
        expiresAt,
      };
      return { ok: true, lease, tookOver: current ?? null };
    }),

    renew(ownerId, now, ttlMs) {
      checkTimes(now, ttlMs);
      // One statement, so atomic on its own. It also revives this owner's own expired leases:
      // the row still naming this owner proves nobody took the upload in between.
      return extendAll
        .all(now, now + ttlMs, ownerId)
        .map((r) => r.upload_id)
        .sort();
    },

    release: (uploadId, ownerId) => removeOne.run(uploadId, ownerId).changes > 0,

    releaseAll: (ownerId) => removeAll.run(ownerId).changes,

    get(uploadId) {
      const row = one.get(uploadId);
      return row && toLease(row);
    },

    list: () => every.all().map(toLease),
  };
}
