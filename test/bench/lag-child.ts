import { join } from 'node:path';
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_SETTINGS, engineSettings } from '../../src-main/app/settings';
import { createDmClient } from '../../src-main/dm/client';
import { openStore } from '../../src-main/store';
import {
  attributeStalls,
  threadTimes,
  timeStoreCalls,
  watchGc,
  watchStalls,
  type GcTime,
  type StallTime,
  type StoreTime,
} from './lag-probes';
import { UploadEngine } from '../../src-main/upload/engine';
import { prepareUpload } from '../../src-main/upload/prepare-upload';

export interface LagInput {
  url: string;
  apiKey: string;
  file: string;
  name: string;
  dataDir: string;
  idleSeconds: number;
}

export interface LagStats {
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  /** Share of the time the loop was running code rather than waiting (eventLoopUtilization). */
  utilization: number;
  /** Per wall second: the loop thread's time on a core (NaN without /proc schedstat)… */
  mainThreadCpu: number;
  /** …its time runnable but waiting for a core… */
  mainThreadWait: number;
  /** …and the CPU time of the process's other threads (reader worker, libuv pool, GC helpers). */
  otherThreadsCpu: number;
  maxMs: number;
  meanMs: number;
  samples: number;
}

export interface LagResult {
  idle: LagStats;
  upload: LagStats;
  store: Omit<StoreTime, 'intervals'>;
  gc: Omit<GcTime, 'intervals'>;
  /** Event-loop stalls over 20 ms during the upload, and what was running in them. */
  stalls: StallTime;
  uploadSeconds: number;
  bytes: number;
}

// The histogram records each timer interval; the lag is what exceeds the requested interval.
const RESOLUTION_MS = 2;

async function measure<T>(
  work: () => Promise<T>,
): Promise<{ stats: LagStats; value: T; stalls: Array<[number, number]> }> {
  const stallWatch = watchStalls(20);
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const elu = perf.eventLoopUtilization();
  const cpu0 = threadTimes();
  const t0 = perf.now();
  h.enable();
  const value = await work();
  h.disable();
  const used = perf.eventLoopUtilization(elu);
  const cpu1 = threadTimes();
  const wall = (perf.now() - t0) / 1000;
  const share = (k: 'mainCpu' | 'mainWait' | 'othersCpu'): number =>
    cpu0 && cpu1 ? (cpu1[k] - cpu0[k]) / wall : NaN;
  const stalls = stallWatch.stop();
  const lag = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return {
    value,
    stalls,
    stats: {
      p50Ms: lag(h.percentile(50)),
      p99Ms: lag(h.percentile(99)),
      p999Ms: lag(h.percentile(99.9)),
      utilization: used.utilization,
      mainThreadCpu: share('mainCpu'),
      mainThreadWait: share('mainWait'),
      otherThreadsCpu: share('othersCpu'),
      maxMs: lag(h.max),
      meanMs: lag(h.mean),
      samples: h.count,
    },
  };
}

/**
 * Event-loop lag of a process that runs the upload engine itself (as the desktop app's main
 * process does): first idle, then during one upload to the sandbox (another process).
 */
export async function measureLag(input: LagInput): Promise<LagResult> {
  const store = openStore({ file: join(input.dataDir, 'firmdrop.db') });
  const dm = createDmClient({ baseUrl: input.url, apiKey: input.apiKey });
  const settings = engineSettings(DEFAULT_SETTINGS);
  const engine = new UploadEngine({ store, client: async () => dm, settings: () => settings });
  try {
    const account = store.accounts.create({
      name: 'Bench',
      baseUrl: input.url,
      region: 'custom',
      isSandbox: true,
      tier: '1',
    });
    const idle = await measure(() => sleep(input.idleSeconds * 1000));
    const storeTime = timeStoreCalls(store);
    const gc = watchGc();
    const upload = await measure(async () => {
      const started = performance.now();
      const row = await prepareUpload(
        { store, dm, settings },
        { accountId: account.id, filePath: input.file, name: input.name },
      );
      engine.enqueue(row.id);
      await engine.whenIdle();
      const done = store.uploads.getUpload(row.id);
      if (done?.state !== 'done' || !done.verified) {
        throw new Error(`the in-process upload ended ${done?.state}: ${done?.errorMessage}`);
      }
      return { seconds: (performance.now() - started) / 1000, bytes: done.fileSize };
    });
    const { intervals: gcIntervals, ...gcTime } = gc.stop();
    const { intervals: storeIntervals, ...storeOut } = storeTime;
    return {
      idle: idle.stats,
      upload: upload.stats,
      store: storeOut,
      gc: gcTime,
      stalls: attributeStalls(upload.stalls, gcIntervals, storeIntervals),
      uploadSeconds: upload.value.seconds,
      bytes: upload.value.bytes,
    };
  } finally {
    await engine.shutdown();
    await dm.close();
    store.close();
  }
}
