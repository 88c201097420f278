import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MiB } from '../../src-main/core/limits';
import { runBaseline } from './child-run';
import { runFirmdrop, uploadedReport } from './cli-run';
import type { BenchConfig } from './config';
import { mibPerSec } from './report';
import type { SandboxProcess } from './sandbox-process';

/** One measured upload: what moved, how long it took, and what it cost. */
export interface Figure {
  seconds: number;
  bytes: number;
  mibPerSec: number;
  /** Throughput over the link's rate, when there is a link limit. */
  ofLink: number | null;
  /** CPU time of the uploading process (user + system, all threads). */
  clientCpuSeconds?: number | null;
  /** CPU time the sandbox process spent on this upload. */
  serverCpuSeconds?: number;
  maxRssKiB?: number | null;
  /** Where the time went, seen from the sandbox (polled every 10 ms). */
  phases?: Phases;
  /** Wall-clock time (Date.now) the client process was spawned, to line up with the sandbox's log. */
  spawnedAtMs?: number;
}

export interface Phases {
  /** Spawn to the first chunk POST reaching the sandbox: start-up, pre-flight, job creation. */
  startSec: number;
  /** First chunk POST to the last chunk appended, and the rate over that stretch. */
  transferSec: number;
  transferMiBPerSec: number;
  /** Last chunk appended to exit: complete (the sandbox hashes the image), fetch, verify, delete the job. */
  finishSec: number;
}

/** Polls the sandbox while a run goes on, noting when its first chunk POST and last append land. */
function watchPhases(sandbox: SandboxProcess, chunks: number) {
  let stopped = false;
  let firstPost = NaN;
  let lastAppend = NaN;
  let startedAt = 0;
  const poll = async (): Promise<void> => {
    const base = await sandbox.stats();
    while (!stopped) {
      const s = await sandbox.stats();
      const t = (performance.now() - startedAt) / 1000;
      if (Number.isNaN(firstPost) && s.chunkPosts > base.chunkPosts) firstPost = t;
      if (s.chunksAppended >= base.chunksAppended + chunks) {
        lastAppend = t;
        return;
      }
      await sleep(10);
    }
  };
  let polling: Promise<void> = Promise.resolve();
  return {
    start(at: number) {
      startedAt = at;
      polling = poll().catch(() => undefined);
    },
    async stop(bytes: number, totalSec: number): Promise<Phases> {
      stopped = true;
      await polling;
      const transferSec = lastAppend - firstPost;
      return {
        startSec: firstPost,
        transferSec,
        transferMiBPerSec: mibPerSec(bytes, transferSec),
        finishSec: totalSec - lastAppend,
      };
    },
  };
}

let counter = 0;
/** Image names must be unique in the account (409 otherwise). */
export const uniqueName = (label: string): string => `bench-${label}-${++counter}-${Date.now()}`;

export function figure(bytes: number, seconds: number, linkBytesPerSec: number | null): Figure {
  const rate = mibPerSec(bytes, seconds);
  return {
    seconds,
    bytes,
    mibPerSec: rate,
    ofLink: linkBytesPerSec === null ? null : (rate * MiB) / linkBytesPerSec,
  };
}

export interface UploadTarget {
  sandbox: SandboxProcess;
  /** Where the client connects (the sandbox's URL, or a relay's in the netns variant). */
  url: string;
  netns?: string;
  linkBytesPerSec: number | null;
}

/** `firmdrop upload` as a separate process with its own fresh journal; the image is deleted after. */
export async function firmdropUpload(
  cfg: BenchConfig,
  target: UploadTarget,
  opts: {
    file: string;
    bytes: number;
    dir: string;
    label: string;
    phases?: boolean;
    /** MiB per chunk; null lets the engine adapt sizes to the link. Default: cfg.chunkBytes. */
    chunkMiB?: number | null;
    /** More CLI flags (e.g. --limit-rate 10M). */
    extraArgs?: string[];
  },
): Promise<Figure> {
  const dataDir = mkdtempSync(join(opts.dir, 'journal-'));
  const serverCpu = target.sandbox.cpuSeconds();
  let spawnedAtMs = NaN;
  const watch = opts.phases
    ? watchPhases(target.sandbox, Math.ceil(opts.bytes / cfg.chunkBytes))
    : null;
  try {
    const run = await runFirmdrop({
      cli: cfg.cli,
      args: [
        'upload',
        opts.file,
        '--json',
        ...chunkArgs(opts.chunkMiB === undefined ? cfg.chunkBytes / MiB : opts.chunkMiB),
        ...(opts.extraArgs ?? []),
        '--name',
        uniqueName(opts.label),
        '--data-dir',
        dataDir,
      ],
      url: target.url,
      apiKey: target.sandbox.apiKey,
      caFile: target.sandbox.caCertPath,
      ...(target.netns ? { netns: target.netns } : {}),
      measure: { scratchDir: opts.dir },
      onStart: (_child, at) => {
        spawnedAtMs = Date.now();
        watch?.start(at);
      },
    });
    const serverCpuSeconds = target.sandbox.cpuSeconds() - serverCpu;
    const phases = await watch?.stop(opts.bytes, run.seconds);
    const report = uploadedReport(run, `Firmdrop (${opts.label})`);
    if (report.size !== opts.bytes) throw new Error(`Firmdrop reported ${report.size} bytes`);
    await target.sandbox.deleteImage(report.firmware_image_id ?? '');
    return {
      ...figure(opts.bytes, run.seconds, target.linkBytesPerSec),
      maxRssKiB: run.maxRssKiB,
      clientCpuSeconds: run.cpuSeconds,
      serverCpuSeconds,
      spawnedAtMs,
      ...(phases ? { phases } : {}),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The script-style baseline in its own process; the image is deleted after. */
export async function baselineRun(
  cfg: BenchConfig,
  target: UploadTarget,
  opts: { file: string; bytes: number; label: string },
): Promise<Figure & { chunks: number }> {
  const serverCpu = target.sandbox.cpuSeconds();
  const r = await runBaseline(
    cfg.root,
    {
      url: target.url,
      apiKey: target.sandbox.apiKey,
      file: opts.file,
      name: uniqueName(opts.label),
      chunkBytes: cfg.baselineChunkBytes,
    },
    target.netns,
  );
  if (r.datafileSize !== opts.bytes)
    throw new Error(`the baseline's image has ${r.datafileSize} bytes`);
  const serverCpuSeconds = target.sandbox.cpuSeconds() - serverCpu;
  await target.sandbox.deleteImage(r.imageId);
  return {
    ...figure(opts.bytes, r.seconds, target.linkBytesPerSec),
    chunks: r.chunks,
    clientCpuSeconds: r.cpuSeconds,
    serverCpuSeconds,
  };
}

function chunkArgs(mib: number | null): string[] {
  return mib === null ? [] : ['--chunk-size', String(mib)];
}
