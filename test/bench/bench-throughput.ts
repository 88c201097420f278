import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MiB } from '../../src-main/core/limits';
import type { BenchConfig, BenchDirs } from './config';
import { curlCeiling, splitFile } from './curl-ceiling';
import { dataFile } from './files';
import { fmtMiB, fmtRate, fmtRatio, fmtSec, median, printTable } from './report';
import {
  baselineRun,
  figure,
  firmdropUpload,
  uniqueName,
  type Figure,
  type UploadTarget,
} from './runs';
import { startSandboxProcess } from './sandbox-process';

export interface ThroughputResult {
  limited: {
    bytes: number;
    link: { bytesPerSec: number; latencyMs: number };
    firmdrop: Figure;
    /** The same CLI without --chunk-size: chunk sizes adapted to the link. */
    adaptive?: Figure;
    baseline: Figure & { chunks: number };
    curl: Figure & { chunks: number; connects: number };
    firmdropVsBaseline: number;
    firmdropVsCurl: number;
  };
  unlimited: {
    bytes: number;
    repeats: number;
    firmdrop: Figure;
    baseline: Figure;
    samples: { firmdrop: number[]; baseline: number[] };
    firmdropVsBaseline: number;
  };
}

/**
 * Benchmark 1: a generated file through the sandbox (a separate process), first over the modelled
 * link (bandwidth limit on request bodies + latency per request), then over unlimited loopback
 * where CPU decides. Firmdrop is the CLI process; the baseline and curl are described in their
 * modules. Images are deleted after each run so the sandbox's disk use stays flat.
 */
export async function benchThroughput(
  cfg: BenchConfig,
  dirs: BenchDirs,
): Promise<ThroughputResult> {
  const dir = dirs.work;
  const sandbox = await startSandboxProcess({
    cli: cfg.cli,
    dataDir: join(dirs.sandbox, 'sandbox-tp'),
  });
  const target: UploadTarget = { sandbox, url: sandbox.url, linkBytesPerSec: cfg.link.bytesPerSec };
  try {
    const bytes = cfg.sizes.throughput;
    const file = dataFile(dir, bytes);
    await sandbox.setLink({
      latencyMs: cfg.link.latencyMs,
      bandwidthBytesPerSec: cfg.link.bytesPerSec,
    });
    const firmdrop = await firmdropUpload(cfg, target, {
      file,
      bytes,
      dir,
      label: 'tp-link',
      phases: true,
    });
    const adaptive = await firmdropUpload(cfg, target, {
      file,
      bytes,
      dir,
      label: 'tp-link-adaptive',
      chunkMiB: null,
    });
    const baseline = await baselineRun(cfg, target, { file, bytes, label: 'tp-link-base' });
    const chunkDir = join(dir, 'curl-chunks');
    mkdirSync(chunkDir);
    const chunks = splitFile(file, cfg.chunkBytes, chunkDir);
    const c = await curlCeiling({
      url: sandbox.url,
      apiKey: sandbox.apiKey,
      name: uniqueName('tp-link-curl'),
      chunks,
      scratchDir: dir,
    });
    rmSync(chunkDir, { recursive: true, force: true });
    await sandbox.deleteImage(c.imageId);
    const curl = {
      ...figure(bytes, c.seconds, cfg.link.bytesPerSec),
      chunks: c.chunks,
      connects: c.connects,
    };

    await sandbox.setLink({ latencyMs: 0, bandwidthBytesPerSec: null });
    const fast = { ...target, linkBytesPerSec: null };
    const uBytes = cfg.sizes.unlimited;
    const uFile = dataFile(dir, uBytes);
    const samples = { firmdrop: [] as Figure[], baseline: [] as Figure[] };
    // Interleaved, so a slow spell of the machine does not land on one side only.
    for (let i = 0; i < cfg.unlimitedRepeats; i++) {
      samples.firmdrop.push(
        await firmdropUpload(cfg, fast, { file: uFile, bytes: uBytes, dir, label: 'tp-fast' }),
      );
      samples.baseline.push(
        await baselineRun(cfg, fast, { file: uFile, bytes: uBytes, label: 'tp-fast-base' }),
      );
    }
    const pick = (xs: Figure[]): Figure => ({
      ...figure(uBytes, median(xs.map((x) => x.seconds)), null),
      clientCpuSeconds: median(xs.map((x) => x.clientCpuSeconds ?? NaN)),
      serverCpuSeconds: median(xs.map((x) => x.serverCpuSeconds ?? NaN)),
    });
    const uf = pick(samples.firmdrop);
    const ub = pick(samples.baseline);
    return {
      limited: {
        bytes,
        link: cfg.link,
        firmdrop,
        adaptive,
        baseline,
        curl,
        firmdropVsBaseline: firmdrop.mibPerSec / baseline.mibPerSec,
        firmdropVsCurl: firmdrop.mibPerSec / curl.mibPerSec,
      },
      unlimited: {
        bytes: uBytes,
        repeats: cfg.unlimitedRepeats,
        firmdrop: uf,
        baseline: ub,
        samples: {
          firmdrop: samples.firmdrop.map((f) => f.mibPerSec),
          baseline: samples.baseline.map((f) => f.mibPerSec),
        },
        firmdropVsBaseline: uf.mibPerSec / ub.mibPerSec,
      },
    };
  } finally {
    await sandbox.stop();
  }
}

function phaseNote(f: Figure, link: number): string[] {
  const p = f.phases;
  if (!p) return [];
  return [
    `Firmdrop's run, seen from the sandbox: ${fmtSec(p.startSec)} to the first chunk POST (start-up, pre-flight, job), ` +
      `${fmtSec(p.transferSec)} of chunks at ${fmtRate(p.transferMiBPerSec)} (${fmtRatio((p.transferMiBPerSec * MiB) / link)} of link), ` +
      `${fmtSec(p.finishSec)} to finish (complete, verify, delete the job, exit).`,
  ];
}

/** CPU seconds per GiB moved, the cost that decides throughput when the link does not. */
function cpuPerGiB(f: Figure, which: 'clientCpuSeconds' | 'serverCpuSeconds'): string {
  const v = f[which];
  return v === null || v === undefined || Number.isNaN(v)
    ? '—'
    : `${(v / (f.bytes / 2 ** 30)).toFixed(2)} s`;
}

export function printThroughput(r: ThroughputResult): void {
  const l = r.limited;
  const linkRate = l.link.bytesPerSec / MiB;
  const cpu = (f: Figure): string[] => [
    cpuPerGiB(f, 'clientCpuSeconds'),
    cpuPerGiB(f, 'serverCpuSeconds'),
  ];
  printTable(
    `1a. Throughput over the modelled link: ${fmtMiB(l.bytes)}, ${linkRate} MiB/s on request bodies, +${l.link.latencyMs} ms per request`,
    ['uploader', 'time', 'MiB/s', 'of link', 'requests', 'client CPU/GiB', 'sandbox CPU/GiB'],
    [
      [
        'Firmdrop CLI (16 MiB chunks, keep-alive)',
        fmtSec(l.firmdrop.seconds),
        fmtRate(l.firmdrop.mibPerSec),
        fmtRatio(l.firmdrop.ofLink),
        `${Math.ceil(l.bytes / (16 * MiB))} chunks`,
        ...cpu(l.firmdrop),
      ],
      ...(l.adaptive
        ? [
            [
              'Firmdrop CLI (adaptive chunks, keep-alive)',
              fmtSec(l.adaptive.seconds),
              fmtRate(l.adaptive.mibPerSec),
              fmtRatio(l.adaptive.ofLink),
              'adaptive',
              ...cpu(l.adaptive),
            ],
          ]
        : []),
      [
        'baseline script (6 MiB, new connection each)',
        fmtSec(l.baseline.seconds),
        fmtRate(l.baseline.mibPerSec),
        fmtRatio(l.baseline.ofLink),
        `${l.baseline.chunks} chunks`,
        ...cpu(l.baseline),
      ],
      [
        `curl ceiling (16 MiB, ${l.curl.connects} connection)`,
        fmtSec(l.curl.seconds),
        fmtRate(l.curl.mibPerSec),
        fmtRatio(l.curl.ofLink),
        `${l.curl.chunks} chunks`,
        '—',
        '—',
      ],
    ],
    [
      `Firmdrop / baseline: ${fmtRatio(l.firmdropVsBaseline)}   Firmdrop / curl ceiling: ${fmtRatio(l.firmdropVsCurl)}`,
      ...phaseNote(l.firmdrop, l.link.bytesPerSec),
      'Firmdrop time is the whole CLI process (start-up, pre-flight, SHA-256 verify); baseline and curl time only their requests.',
      'Link model (docs/benchmarks.md): one RTT per request, one more per new connection (TCP; no TLS here), slow start per',
      'connection; the rate applies to request bodies and credits up to 50 ms of idle link. Table 5 adds TLS and longer RTTs.',
    ],
  );
  const u = r.unlimited;
  printTable(
    `1b. Throughput over unlimited loopback (CPU-bound): ${fmtMiB(u.bytes)}, median of ${u.repeats}`,
    ['uploader', 'time', 'MiB/s', 'runs (MiB/s)', 'client CPU/GiB', 'sandbox CPU/GiB'],
    [
      [
        'Firmdrop CLI',
        fmtSec(u.firmdrop.seconds),
        fmtRate(u.firmdrop.mibPerSec),
        u.samples.firmdrop.map((x) => x.toFixed(0)).join(' / '),
        ...cpu(u.firmdrop),
      ],
      [
        'baseline script',
        fmtSec(u.baseline.seconds),
        fmtRate(u.baseline.mibPerSec),
        u.samples.baseline.map((x) => x.toFixed(0)).join(' / '),
        ...cpu(u.baseline),
      ],
    ],
    [
      `Firmdrop / baseline: ${fmtRatio(u.firmdropVsBaseline)}`,
      'Client and sandbox share the 2 cores; the sandbox MD5s every body and SHA-256s the image, so it bounds both clients here.',
    ],
  );
}
