import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { isFirmdropError } from '../../../src-main/core/errors';
import { isProcessAlive, leaseHolderDead } from '../../../src-main/store';
import type { Lease, LeaseOwner, Store } from '../../../src-main/store';
import { sampleAccount, sampleUpload, useTempDir } from './temp-store';

const tmp = useTempDir();

const TTL = 30_000;
const T0 = 1_700_000_000_000;
const HERE = 'bench-1';
const never = () => false;

const appOwner: LeaseOwner = { id: 'owner-app', pid: 1111, host: HERE, kind: 'app' };
const cliOwner: LeaseOwner = { id: 'owner-cli', pid: 2222, host: HERE, kind: 'cli' };

function withUploads(n = 1, store: Store = tmp.open()): { store: Store; ids: string[] } {
  const accountId = store.accounts.create(sampleAccount).id;
  const ids = Array.from({ length: n }, (_, i) => {
    return store.uploads.createUpload({ ...sampleUpload(accountId), id: `u${i}` }).id;
  });
  return { store, ids };
}

function claimed(result: ReturnType<Store['leases']['claim']>): {
  lease: Lease;
  tookOver: Lease | null;
} {
  if (!result.ok) throw new Error(`expected the claim to succeed; held by ${result.holder.id}`);
  return result;
}

/** A process that ran on this machine and has exited (and been reaped): its pid is free. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
    stdio: 'ignore',
  });
  await once(child, 'spawn');
  const pid = child.pid as number;
  expect(isProcessAlive(pid)).toBe(true);
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
  return pid;
}

describe('leases repo', () => {
  it('claim takes a free upload; the owner claiming again renews it; get and list read it', () => {
    const { store, ids } = withUploads(2);
    const [u0 = '', u1 = ''] = ids;
    const first = claimed(store.leases.claim(u0, appOwner, { now: T0, ttlMs: TTL, isDead: never }));
    const expected: Lease = {
      uploadId: u0,
      ...appOwner,
      acquiredAt: T0,
      heartbeatAt: T0,
      expiresAt: T0 + TTL,
    };
    expect(first).toEqual({ ok: true, lease: expected, tookOver: null });
    expect(store.leases.get(u0)).toEqual(expected);
    expect(store.leases.get(u1)).toBeUndefined();

    // Again by the same owner, even after its lease ran out: a renewal, acquiredAt kept.
    const again = claimed(
      store.leases.claim(u0, appOwner, { now: T0 + TTL + 5, ttlMs: TTL, isDead: never }),
    );
    const renewed = { ...expected, heartbeatAt: T0 + TTL + 5, expiresAt: T0 + 2 * TTL + 5 };
    expect(again).toEqual({ ok: true, lease: renewed, tookOver: null });
    expect(store.leases.get(u0)).toEqual(renewed);

    claimed(store.leases.claim(u1, cliOwner, { now: T0 + 1, ttlMs: TTL, isDead: never }));
    expect(store.leases.list().map((l) => [l.uploadId, l.id])).toEqual([
      [u0, 'owner-app'],
      [u1, 'owner-cli'],
    ]);
  });

  it('a live holder blocks another owner, up to the last millisecond of its lease', () => {
    const { store, ids } = withUploads();
    const [u0 = ''] = ids;
    const held = claimed(store.leases.claim(u0, appOwner, { now: T0, ttlMs: TTL, isDead: never }));
    const asked: Lease[] = [];
    const isDead = (h: Lease) => {
      asked.push(h);
      return false;
    };
    const blocked = store.leases.claim(u0, cliOwner, { now: T0 + TTL - 1, ttlMs: TTL, isDead });
    expect(blocked).toEqual({ ok: false, holder: held.lease });
    expect(asked).toEqual([held.lease]);
    expect(store.leases.get(u0)?.id).toBe('owner-app');
  });

  it('an expired lease is taken over, and tookOver reports the old holder', () => {
    const { store, ids } = withUploads();
    const [u0 = ''] = ids;
    const old = claimed(store.leases.claim(u0, appOwner, { now: T0, ttlMs: TTL, isDead: never }));
    // expires_at <= now: gone at its expiry instant. isDead is not even asked.
    const isDead = () => {
      throw new Error('an expired holder needs no liveness check');
    };
    const taken = claimed(store.leases.claim(u0, cliOwner, { now: T0 + TTL, ttlMs: 1000, isDead }));
    expect(taken.tookOver).toEqual(old.lease);
    expect(taken.lease).toEqual({
      uploadId: u0,
      ...cliOwner,
      acquiredAt: T0 + TTL,
      heartbeatAt: T0 + TTL,
      expiresAt: T0 + TTL + 1000,
    });
    expect(store.leases.get(u0)).toEqual(taken.lease);
    // The old owner is now the one blocked.
    const back = store.leases.claim(u0, appOwner, { now: T0 + TTL + 1, ttlMs: TTL, isDead: never });
    expect(back).toEqual({ ok: false, holder: taken.lease });
  });

  it('a holder that isDead reports gone is taken over before its lease expires', () => {
    const { store, ids } = withUploads();
    const [u0 = ''] = ids;
    const old = claimed(store.leases.claim(u0, appOwner, { now: T0, ttlMs: TTL, isDead: never }));
    const taken = claimed(
      store.leases.claim(u0, cliOwner, { now: T0 + 1, ttlMs: TTL, isDead: (h) => h.pid === 1111 }),
    );
    expect(taken.tookOver).toEqual(old.lease);
    expect(store.leases.get(u0)?.id).toBe('owner-cli');
  });

  it('renew extends every lease of the owner and returns the uploads it still holds', () => {
    const { store, ids } = withUploads(3);
    const [u0 = '', u1 = '', u2 = ''] = ids;
    for (const id of [u2, u0, u1]) {
      claimed(store.leases.claim(id, appOwner, { now: T0, ttlMs: TTL, isDead: never }));
    }
    expect(store.leases.renew('owner-app', T0 + 10_000, TTL)).toEqual([u0, u1, u2]);
    expect(store.leases.list().map((l) => [l.heartbeatAt, l.expiresAt])).toEqual([
      [T0 + 10_000, T0 + 40_000],
      [T0 + 10_000, T0 + 40_000],
      [T0 + 10_000, T0 + 40_000],
    ]);
    // The owner hangs past its TTL and u1 is taken over: the next heartbeat no longer lists it.
    claimed(store.leases.claim(u1, cliOwner, { now: T0 + 40_000, ttlMs: TTL, isDead: never }));
    expect(store.leases.renew('owner-app', T0 + 41_000, TTL)).toEqual([u0, u2]);
    expect(store.leases.get(u1)).toMatchObject({ id: 'owner-cli', expiresAt: T0 + 70_000 });
    expect(store.leases.renew('owner-nobody', T0, TTL)).toEqual([]);
  });

  it("release drops only the owner's own lease; releaseAll every lease of one owner", () => {
    const { store, ids } = withUploads(3);
    const [u0 = '', u1 = '', u2 = ''] = ids;
    const opts = { now: T0, ttlMs: TTL, isDead: never };
    claimed(store.leases.claim(u0, appOwner, opts));
    claimed(store.leases.claim(u1, appOwner, opts));
    claimed(store.leases.claim(u2, cliOwner, opts));

    expect(store.leases.release(u2, 'owner-app')).toBe(false);
    expect(store.leases.get(u2)?.id).toBe('owner-cli');
    expect(store.leases.release(u2, 'owner-cli')).toBe(true);
    expect(store.leases.release(u2, 'owner-cli')).toBe(false);
    expect(store.leases.get(u2)).toBeUndefined();
    // Free again: anyone may claim it.
    claimed(store.leases.claim(u2, cliOwner, opts));

    expect(store.leases.releaseAll('owner-app')).toBe(2);
    expect(store.leases.releaseAll('owner-app')).toBe(0);
    expect(store.leases.list().map((l) => l.uploadId)).toEqual([u2]);
  });

  it('claim refuses a missing upload (not-found) and a malformed owner or time', () => {
    const { store, ids } = withUploads();
    const [u0 = ''] = ids;
    let err: unknown;
    try {
      store.leases.claim('ghost', appOwner, { now: T0, ttlMs: TTL, isDead: never });
    } catch (e) {
      err = e;
    }
    expect(isFirmdropError(err, 'not-found')).toBe(true);
    expect((err as Error).message).toMatch(/No upload with id ghost exists/);
    expect(store.leases.list()).toEqual([]);

    const opts = { now: T0, ttlMs: TTL, isDead: never };
    expect(() => store.leases.claim(u0, { ...appOwner, pid: 0 }, opts)).toThrow(/positive whole/);
    expect(() => store.leases.claim(u0, { ...appOwner, id: '' }, opts)).toThrow(/non-empty id/);
    expect(() => store.leases.claim(u0, appOwner, { ...opts, now: T0 + 0.5 })).toThrow(
      /whole milliseconds/,
    );
    expect(() => store.leases.claim(u0, appOwner, { ...opts, ttlMs: 0 })).toThrow(
      /whole milliseconds/,
    );
    expect(() => store.leases.renew('owner-app', T0, -1)).toThrow(/whole milliseconds/);
    expect(store.leases.list()).toEqual([]);
  });

  it('the lease goes with its upload', () => {
    const { store, ids } = withUploads(2);
    const [u0 = '', u1 = ''] = ids;
    claimed(store.leases.claim(u0, appOwner, { now: T0, ttlMs: TTL, isDead: never }));
    claimed(store.leases.claim(u1, appOwner, { now: T0, ttlMs: TTL, isDead: never }));
    expect(store.uploads.deleteUpload(u0)).toBe(true);
    expect(store.leases.get(u0)).toBeUndefined();
    expect(store.leases.renew('owner-app', T0 + 1, TTL)).toEqual([u1]);
  });
});

describe('leases and real processes (leaseHolderDead)', () => {
  const here = { host: HERE };

  it('a holder on this host whose process has exited is taken over at once', async () => {
    const { store, ids } = withUploads();
    const [u0 = ''] = ids;
    const crashed: LeaseOwner = { ...cliOwner, pid: await exitedPid() };
    const old = claimed(store.leases.claim(u0, crashed, { now: T0, ttlMs: TTL, isDead: never }));
    const now = T0 + 1; // long before expiry
    const taken = claimed(
      store.leases.claim(u0, appOwner, {
        now,
        ttlMs: TTL,
        isDead: (h) => leaseHolderDead(h, here, now),
      }),
    );
    expect(taken.tookOver).toEqual(old.lease);
  });

  it('a holder on this host whose process runs keeps its lease', () => {
    const { store, ids } = withUploads();
    const [u0 = ''] = ids;
    const running: LeaseOwner = { ...cliOwner, pid: process.pid };
    const held = claimed(store.leases.claim(u0, running, { now: T0, ttlMs: TTL, isDead: never }));
    const now = T0 + 1;
    const isDead = (h: Lease) => leaseHolderDead(h, here, now);
    expect(store.leases.claim(u0, appOwner, { now, ttlMs: TTL, isDead })).toEqual({
      ok: false,
      holder: held.lease,
    });
  });

  it('a holder on another host is kept until its lease expires, whatever its pid looks like here', async () => {
    const { store, ids } = withUploads();
    const [u0 = ''] = ids;
    const remote: LeaseOwner = { ...cliOwner, host: 'bench-2', pid: await exitedPid() };
    const held = claimed(store.leases.claim(u0, remote, { now: T0, ttlMs: TTL, isDead: never }));
    const at = (now: number) =>
      store.leases.claim(u0, appOwner, {
        now,
        ttlMs: TTL,
        isDead: (h) => leaseHolderDead(h, here, now),
      });
    expect(at(T0 + TTL - 1)).toEqual({ ok: false, holder: held.lease });
    expect(claimed(at(T0 + TTL)).tookOver).toEqual(held.lease);
  });
});

describe('leases with concurrent connections', () => {
  it('two connections claiming the same uploads at once: exactly one wins each', async () => {
    // Half the uploads start free, half under a third owner's expired lease: both the insert and
    // the takeover path are raced.
    const ROUNDS = 200;
    const { store, ids } = withUploads(ROUNDS);
    ids.forEach((id, i) => {
      if (i % 2 === 1) {
        claimed(
          store.leases.claim(id, { ...appOwner, id: 'stale' }, { now: 0, ttlMs: 1, isDead: never }),
        );
      }
    });

    const sync = new SharedArrayBuffer(8);
    const racers = ['racer-a', 'racer-b'];
    const runs = racers.map((id) => {
      const worker = new Worker(resolve(import.meta.dirname, 'lease-race-worker.mjs'), {
        workerData: {
          root: resolve(import.meta.dirname, '../../..'),
          file: store.file,
          owner: { id, pid: process.pid, host: HERE, kind: 'cli' },
          uploadIds: ids,
          now: T0,
          ttlMs: TTL,
          sync,
          parties: racers.length,
        },
      });
      return once(worker, 'message').then(([results]) => results as RaceResult[]);
    });
    const [a = [], b = []] = await Promise.all(runs);

    expect([...a, ...b].filter((r) => 'error' in r)).toEqual([]);
    const wins: Record<string, number> = { 'racer-a': 0, 'racer-b': 0 };
    ids.forEach((id, i) => {
      const pair = [a[i], b[i]] as Extract<RaceResult, { ok: boolean }>[];
      expect(pair.map((r) => r.uploadId)).toEqual([id, id]);
      const winners = pair.filter((r) => r.ok);
      expect(winners, `upload ${id}`).toHaveLength(1);
      const [winner] = winners as Extract<RaceResult, { ok: true }>[];
      const loser = pair.find((r) => !r.ok) as Extract<RaceResult, { ok: false }>;
      // The loser is told who holds it, and the journal agrees.
      expect(loser.holder).toBe(winner?.owner);
      expect(store.leases.get(id)?.id).toBe(winner?.owner);
      expect(winner?.tookOver).toBe(i % 2 === 1 ? 'stale' : null);
      wins[winner?.owner ?? ''] = (wins[winner?.owner ?? ''] ?? 0) + 1;
    });
    // Both won some: the claims overlapped rather than one racer running ahead.
    expect(wins['racer-a']).toBeGreaterThan(0);
    expect(wins['racer-b']).toBeGreaterThan(0);
  });
});

type RaceResult =
  | { uploadId: string; ok: true; owner: string; tookOver: string | null }
  | { uploadId: string; ok: false; holder: string }
  | { uploadId: string; error: string };
