import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MiB } from '../../src-main/core/limits';
import type { BenchConfig, BenchDirs } from './config';
import { makeDataFile } from './files';
import { firstChunkTiming, type FirstChunk } from './first-chunk';
import { fmtMiB, fmtRate, fmtRatio, fmtSec, printTable } from './report';
import { figure, firmdropUpload, uniqueName, type Figure, type UploadTarget } from './runs';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process';
import {
  ceilingUpload,
  chunkMd5s,
  manifestToolUpload,
  type WanClientInput,
  type WanClientResult,
} from './wan-clients';
import { engineUpload } from './wan-engine';

type Counted = Figure & { chunks: number };

export interface WanCase {
  rttMs: number;
  bytes: number;
  firmdrop: Figure;
  /** Firmdrop's engine in the bench process, as the desktop app runs an upload (wan-engine.ts). */
  engine: Counted;
  /** When Firmdrop's first chunk POST reached the sandbox (null if the log did not show it). */
  firmdropFirstChunk: FirstChunk | null;
  manifestTool: Counted;
  ceiling: Counted;
  best: Counted;
  /** Time ratios, "how many times faster": other's time / Firmdrop's time, and the like. */
  ratios: {
    firmdropVsManifestTool: number;
    firmdropOfCeiling: number;
    firmdropOfBest: number;
    engineOfBest: number;
    ceilingOfBest: number;
    manifestToolOfBest: number;
  };
}

export interface WanResult {
  tlsVersion: '1.3';
  rateBytesPerSec: number;
  ceilingChunkBytes: number;
  bestChunkBytes: number;
  cases: WanCase[];
}

/**
 * Benchmark 5: the WAN model (docs/benchmarks.md, "The link model"): the sandbox behind TLS,
 * each RTT and size, four uploaders in the same run — Firmdrop (the CLI process, its default
 * chunk size), manifest-tool's algorithm, a ceiling client at Firmdrop's chunk size and the best
 * ceiling (96 MiB chunks). Images are deleted after each upload.
 */
export async function benchWan(cfg: BenchConfig, dirs: BenchDirs): Promise<WanResult> {
  const w = cfg.wan;
  const sandbox = await startSandboxProcess({
    cli: cfg.cli,
    dataDir: join(dirs.sandbox, 'sandbox-wan'),
    tls: true,
  });
  const target: UploadTarget = { sandbox, url: sandbox.url, linkBytesPerSec: w.rateBytesPerSec };
  const cases: WanCase[] = [];
  try {
    for (const bytes of w.sizes) {
      const file = join(dirs.work, `wan-${bytes}.bin`);
      makeDataFile(file, bytes);
      // Before any clock starts: the ceilings' MD5s are given, not measured.
      const md5s = {
        ceiling: chunkMd5s(file, cfg.chunkBytes),
        best: chunkMd5s(file, w.bestChunkBytes),
      };
      try {
        for (const rttMs of w.rttsMs) {
          await sandbox.setLink({ latencyMs: rttMs, bandwidthBytesPerSec: w.rateBytesPerSec });
          cases.push(await wanCase(cfg, target, { file, bytes, rttMs, md5s }));
        }
      } finally {
        rmSync(file, { force: true });
      }
    }
  } finally {
    await sandbox.stop();
  }
  return {
    tlsVersion: '1.3',
    rateBytesPerSec: w.rateBytesPerSec,
    ceilingChunkBytes: cfg.chunkBytes,
    bestChunkBytes: w.bestChunkBytes,
    cases,
  };
}

async function wanCase(
  cfg: BenchConfig,
  target: UploadTarget,
  c: { file: string; bytes: number; rttMs: number; md5s: { ceiling: string[]; best: string[] } },
): Promise<WanCase> {
  const { sandbox } = target;
  const label = `wan-${c.rttMs}ms`;
  const logSeq = (await sandbox.requests()).at(-1)?.seq ?? 0;
  const firmdrop = await firmdropUpload(cfg, target, {
    file: c.file,
    bytes: c.bytes,
    dir: join(c.file, '..'),
    label,
    chunkMiB: null,
  });
  const firmdropFirstChunk = firstChunkTiming(
    await sandbox.requests(),
    firmdrop.spawnedAtMs ?? NaN,
    logSeq,
  );
  const input = (suffix: string): WanClientInput => ({
    endpoint: sandbox.endpoint,
    apiKey: sandbox.apiKey,
    file: c.file,
    name: uniqueName(`${label}-${suffix}`),
  });
  const engine = await counted(
    sandbox,
    c.bytes,
    engineUpload({ ...input('app'), work: join(c.file, '..') }),
    target,
  );
  const manifestTool = await counted(sandbox, c.bytes, manifestToolUpload(input('mt')), target);
  const ceiling = await counted(
    sandbox,
    c.bytes,
    ceilingUpload({ ...input('ceil'), chunkBytes: cfg.chunkBytes, md5s: c.md5s.ceiling }),
    target,
  );
  const best = await counted(
    sandbox,
    c.bytes,
    ceilingUpload({ ...input('best'), chunkBytes: cfg.wan.bestChunkBytes, md5s: c.md5s.best }),
    target,
  );
  return {
    rttMs: c.rttMs,
    bytes: c.bytes,
    firmdrop,
    firmdropFirstChunk,
    engine,
    manifestTool,
    ceiling,
    best,
    ratios: {
      firmdropVsManifestTool: manifestTool.seconds / firmdrop.seconds,
      firmdropOfCeiling: ceiling.seconds / firmdrop.seconds,
      firmdropOfBest: best.seconds / firmdrop.seconds,
      engineOfBest: best.seconds / engine.seconds,
      ceilingOfBest: best.seconds / ceiling.seconds,
      manifestToolOfBest: best.seconds / manifestTool.seconds,
    },
  };
}

async function counted(
  sandbox: SandboxProcess,
  bytes: number,
  run: Promise<WanClientResult>,
  target: UploadTarget,
): Promise<Counted> {
  const r = await run;
  if (r.datafileSize !== bytes)
    throw new Error(`an image of ${r.datafileSize} bytes, not ${bytes}`);
  await sandbox.deleteImage(r.imageId);
  return { ...figure(bytes, r.seconds, target.linkBytesPerSec), chunks: r.chunks };
}

export function printWan(r: WanResult): void {
  const rate = r.rateBytesPerSec / MiB;
  for (const c of r.cases) {
    const row = (name: string, f: Figure, requests: string, ofBest: number): string[] => [
      name,
      fmtSec(f.seconds),
      fmtRate(f.mibPerSec),
      fmtRatio(f.ofLink),
      requests,
      fmtRatio(ofBest),
    ];
    printTable(
      `5. WAN model: ${fmtMiB(c.bytes)} over TLS ${r.tlsVersion}, RTT ${c.rttMs} ms, ${rate} MiB/s shared`,
      ['uploader', 'time', 'MiB/s', 'of link', 'chunks', 'of best ceiling'],
      [
        row('Firmdrop CLI (default chunk size)', c.firmdrop, '—', c.ratios.firmdropOfBest),
        row(
          'Firmdrop engine in-process (as the app runs it)',
          c.engine,
          String(c.engine.chunks),
          c.ratios.engineOfBest,
        ),
        row(
          'manifest-tool algorithm (6 MiB, new connection each)',
          c.manifestTool,
          String(c.manifestTool.chunks),
          c.ratios.manifestToolOfBest,
        ),
        row(
          `ceiling, ${fmtMiB(r.ceilingChunkBytes)} chunks, one connection`,
          c.ceiling,
          String(c.ceiling.chunks),
          c.ratios.ceilingOfBest,
        ),
        row(
          `best ceiling, ${fmtMiB(r.bestChunkBytes)} chunks, one connection`,
          c.best,
          String(c.best.chunks),
          1,
        ),
      ],
      [
        `Firmdrop vs manifest-tool: ${fmtRatio(c.ratios.firmdropVsManifestTool)} faster   ` +
          `Firmdrop of ceiling: ${fmtRatio(c.ratios.firmdropOfCeiling)}   ` +
          `Firmdrop of best ceiling: ${fmtRatio(c.ratios.firmdropOfBest)}   ` +
          `ceiling of best: ${fmtRatio(c.ratios.ceilingOfBest)}`,
        firstChunkNote(c.firmdropFirstChunk, c.rttMs),
        '"of best ceiling" = best ceiling time / this time. Firmdrop CLI is the whole process (start-up, accounts/me for the',
        "environment's key, pre-flight, SHA-256 verify, job deletion); the engine in-process is the same without the process and",
        'accounts/me (a stored account, as in the app); the ceilings have their MD5s before the clock starts and do only create,',
        'chunks, complete, GET job, GET image.',
      ],
    );
  }
}

function firstChunkNote(f: FirstChunk | null, rttMs: number): string {
  if (f === null) return "Firmdrop's first chunk: not found in the sandbox's request log.";
  const rtts = (ms: number) => (rttMs > 0 ? ` (${(ms / rttMs).toFixed(1)} RTT)` : '');
  return (
    `Firmdrop's first chunk POST: ${f.fromSpawnMs} ms after spawn (first request at ${f.firstRequestMs} ms, ` +
    `${f.requestsBefore} requests before it); ${f.fromPreflightMs} ms${rtts(f.fromPreflightMs)} after the pre-flight's last answer.`
  );
}
