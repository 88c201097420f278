import { readdirSync, readFileSync } from 'node:fs';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import type { Store } from '../../src-main/store';

/** [start, end] in performance.now() milliseconds. */
export type Interval = [number, number];

/** Time the event loop spent inside journal (SQLite) calls during the upload. */
export interface StoreTime {
  calls: number;
  totalMs: number;
  maxMs: number;
  /** When each outermost call ran (for attributing stalls; left out of the results). */
  intervals: Interval[];
  byMethod: Record<string, { calls: number; totalMs: number; maxMs: number }>;
}

/** Garbage collections on the engine's thread during the upload. */
export interface GcTime {
  major: number;
  minor: number;
  totalMs: number;
  maxMs: number;
  intervals: Interval[];
}

/** Stalls of the loop and the share of them spent in GC and in journal calls. */
export interface StallTime {
  count: number;
  totalMs: number;
  gcMs: number;
  storeMs: number;
}

/**
 * Times the store's upload-journal calls and transactions, counting only the outermost call of a
 * nest: these are synchronous (better-sqlite3, WAL with synchronous = FULL, so every commit waits
 * for an fsync) and so block the event loop for as long as they take.
 */
export function timeStoreCalls(store: Store): StoreTime {
  const t: StoreTime = { calls: 0, totalMs: 0, maxMs: 0, intervals: [], byMethod: {} };
  let depth = 0;
  const wrap =
    <A extends unknown[], R>(name: string, fn: (...a: A) => R) =>
    (...args: A): R => {
      if (depth++ > 0) {
        try {
          return fn(...args);
        } finally {
          depth--;
        }
      }
      const t0 = performance.now();
      try {
        return fn(...args);
      } finally {
        depth--;
        const ms = performance.now() - t0;
        t.intervals.push([t0, t0 + ms]);
        const m = (t.byMethod[name] ??= { calls: 0, totalMs: 0, maxMs: 0 });
        for (const x of [t, m]) {
          x.calls++;
          x.totalMs += ms;
          x.maxMs = Math.max(x.maxMs, ms);
        }
      }
    };
  const repo = store.uploads as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const [name, fn] of Object.entries(repo)) {
    if (typeof fn === 'function') repo[name] = wrap(name, fn.bind(store.uploads));
  }
  store.transaction = wrap('transaction', store.transaction.bind(store)) as Store['transaction'];
  return t;
}

/** Counts GCs from now until `stop()`; major ones are full mark-compacts of the heap. */
export function watchGc(): { stop(): GcTime } {
  const t: GcTime = { major: 0, minor: 0, totalMs: 0, maxMs: 0, intervals: [] };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      // GC entries carry their kind in `detail` (Node ≥ 16), which the base entry type does not declare.
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) t.major++;
      else t.minor++;
      t.totalMs += e.duration;
      t.maxMs = Math.max(t.maxMs, e.duration);
      t.intervals.push([e.startTime, e.startTime + e.duration]);
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      obs.disconnect();
      return t;
    },
  };
}

/** Notes every gap over `thresholdMs` between ticks of a 1 ms timer: the loop was blocked. */
export function watchStalls(thresholdMs: number): { stop(): Interval[] } {
  const stalls: Interval[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > thresholdMs) stalls.push([last, now]);
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      return stalls;
    },
  };
}

const overlap = (a: Interval, b: Interval): number =>
  Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));

/** How much of the stalled time was covered by GC pauses and by journal calls. */
export function attributeStalls(stalls: Interval[], gc: Interval[], store: Interval[]): StallTime {
  const within = (xs: Interval[]): number =>
    stalls.reduce((sum, s) => sum + xs.reduce((n, x) => n + overlap(s, x), 0), 0);
  return {
    count: stalls.length,
    totalMs: stalls.reduce((n, [a, b]) => n + b - a, 0),
    gcMs: within(gc),
    storeMs: within(store),
  };
}

/**
 * Per-thread scheduler times of this process from /proc/self/task/TID/schedstat (nanoseconds on a
 * core, and waiting in a run queue for one): for the main thread (the event loop) and summed over
 * the others (reader worker, libuv pool, V8's GC helpers). Null where /proc has no schedstat.
 * The loop's CPU and run-queue wait tell blocking code apart from a thread that waits for a core.
 */
export function threadTimes(): { mainCpu: number; mainWait: number; othersCpu: number } | null {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  const out = { mainCpu: 0, mainWait: 0, othersCpu: 0 };
  for (const tid of tids) {
    let fields: number[];
    try {
      fields = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8')
        .trim()
        .split(' ')
        .map(Number);
    } catch {
      continue; // the thread ended between the listing and the read, or no schedstat
    }
    const [cpu = 0, wait = 0] = fields;
    if (Number(tid) === process.pid) {
      out.mainCpu += cpu / 1e9;
      out.mainWait += wait / 1e9;
    } else out.othersCpu += cpu / 1e9;
  }
  return out;
}
