import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SandboxStats } from '../../src-sandbox';
import { runFirmdrop, uploadedReport } from './cli-run';
import type { BenchConfig, BenchDirs } from './config';
import { dataFile } from './files';
import { fmtMiB, fmtSec, printTable } from './report';
import { firmdropUpload, uniqueName, type Figure } from './runs';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process';
import { seededRandom } from '../helpers/seeded-random';

export interface ResumeResult {
  bytes: number;
  chunkBytes: number;
  link: { bytesPerSec: number; latencyMs: number };
  seed: number;
  /** Where in the expected duration the kill was aimed (0–1). */
  killFraction: number;
  killedAfterSec: number;
  atKill: { chunksAppended: number; bytesAppended: number };
  /** Bytes of the cut-off chunk the server had written when the kill was sent. */
  partialAtKillBytes: number;
  /** …and the most it got to (bytes already in socket buffers arrive after the kill), all lost. */
  partialBytes: number;
  resume: {
    seconds: number;
    /** From starting `firmdrop resume` to its first chunk POST reaching the sandbox. */
    timeToFirstPostSec: number;
    /** The same for a fresh upload of the file (start-up, pre-flight, job creation). */
    freshTimeToFirstPostSec: number;
    dataPosts: number;
  };
  /** Chunk POSTs that did not end appended (the killed one), and the bytes that bounds. */
  wastedPosts: number;
  wastedUpperBoundBytes: number;
  uninterruptedSec: number;
  uninterruptedFrom: 'benchmark 1a' | 'measured here';
  totalSec: number;
  overheadSec: number;
}

const dataPosts = (s: SandboxStats): number => s.chunkPosts - s.jobsCompleted;

/**
 * Benchmark 3: SIGKILL the CLI at a random moment of an upload over the modelled link, then run
 * `firmdrop resume` and measure how soon it sends again, what was sent twice, and the total time
 * against an uninterrupted upload of the same file.
 */
export async function benchResume(
  cfg: BenchConfig,
  dirs: BenchDirs,
  reference: Figure | null,
): Promise<ResumeResult> {
  const dir = dirs.work;
  const sandbox = await startSandboxProcess({
    cli: cfg.cli,
    dataDir: join(dirs.sandbox, 'sandbox-res'),
  });
  const journal = mkdtempSync(join(dir, 'journal-resume-'));
  try {
    const bytes = cfg.sizes.resume;
    const file = dataFile(dir, bytes);
    await sandbox.setLink({
      latencyMs: cfg.link.latencyMs,
      bandwidthBytesPerSec: cfg.link.bytesPerSec,
    });
    const target = { sandbox, url: sandbox.url, linkBytesPerSec: cfg.link.bytesPerSec };
    const useRef = reference !== null && reference.bytes === bytes && !!reference.phases;
    const fresh = useRef
      ? reference
      : await firmdropUpload(cfg, target, { file, bytes, dir, label: 'res-ref', phases: true });
    const uninterruptedSec = fresh.seconds;

    const killFraction = 0.2 + 0.6 * seededRandom(cfg.seed)();
    const killAtMs = killFraction * uninterruptedSec * 1000;
    const before = await sandbox.stats();
    const kill = { at: 0, stats: before, fileAtKill: 0, partial: 0 };
    const killed = await runFirmdrop({
      cli: cfg.cli,
      args: ['upload', file, '--json', '--chunk-size', String(cfg.chunkBytes / 2 ** 20)].concat([
        '--name',
        uniqueName('resume'),
        '--data-dir',
        journal,
      ]),
      url: sandbox.url,
      apiKey: sandbox.apiKey,
      onStart: (child, startedAt) => {
        const timer = setTimeout(() => {
          sandbox.stats().then(
            (s) => {
              kill.stats = s;
              kill.fileAtKill = sandbox.jobDataBytes();
              child.kill('SIGKILL');
              kill.at = (performance.now() - startedAt) / 1000;
            },
            () => child.kill('SIGKILL'),
          );
        }, killAtMs);
        child.once('exit', () => clearTimeout(timer));
      },
    });
    if (killed.signal !== 'SIGKILL') {
      throw new Error(
        `The upload to be killed ended by itself (${killed.code}) before ${(killAtMs / 1000).toFixed(1)} s.`,
      );
    }
    kill.partial = await partialAfterKill(sandbox, kill.stats, before);
    const afterKill = await sandbox.stats();

    let firstPostAt = NaN;
    const resumed = await runFirmdrop({
      cli: cfg.cli,
      args: ['resume', '--json', '--data-dir', journal],
      url: sandbox.url,
      apiKey: sandbox.apiKey,
      onStart: (child, startedAt) => {
        const watch = async (): Promise<void> => {
          while (child.exitCode === null && child.signalCode === null) {
            const s = await sandbox.stats();
            if (s.chunkPosts > afterKill.chunkPosts) {
              firstPostAt = (performance.now() - startedAt) / 1000;
              return;
            }
            await sleep(5);
          }
        };
        // A failed poll leaves the figure unknown (NaN); the resume itself is checked below.
        watch().catch(() => undefined);
      },
    });
    const report = uploadedReport(resumed, 'firmdrop resume');
    await sandbox.deleteImage(report.firmware_image_id ?? '');
    const after = await sandbox.stats();
    const wastedPosts =
      dataPosts(after) - dataPosts(before) - (after.chunksAppended - before.chunksAppended);
    const totalSec = kill.at + resumed.seconds;
    return {
      bytes,
      chunkBytes: cfg.chunkBytes,
      link: cfg.link,
      seed: cfg.seed,
      killFraction,
      killedAfterSec: kill.at,
      atKill: {
        chunksAppended: kill.stats.chunksAppended - before.chunksAppended,
        bytesAppended: kill.stats.bytesAppended - before.bytesAppended,
      },
      partialAtKillBytes: Math.max(
        0,
        kill.fileAtKill - (kill.stats.bytesAppended - before.bytesAppended),
      ),
      partialBytes: kill.partial,
      resume: {
        seconds: resumed.seconds,
        timeToFirstPostSec: firstPostAt,
        freshTimeToFirstPostSec: fresh.phases?.startSec ?? NaN,
        dataPosts: dataPosts(after) - dataPosts(afterKill),
      },
      wastedPosts,
      wastedUpperBoundBytes: wastedPosts * cfg.chunkBytes,
      uninterruptedSec,
      uninterruptedFrom: useRef ? 'benchmark 1a' : 'measured here',
      totalSec,
      overheadSec: totalSec - uninterruptedSec,
    };
  } finally {
    rmSync(journal, { recursive: true, force: true });
    await sandbox.stop();
  }
}

/**
 * What the server received of the chunk cut off by the kill: the job's data file grows past the
 * appended chunks as the body arrives (bytes already in socket buffers keep arriving briefly after
 * the kill) and is truncated back once the sandbox sees the body end short. The most seen is kept;
 * if the chunk was in fact complete and got appended, nothing was lost.
 */
async function partialAfterKill(
  sandbox: SandboxProcess,
  atKill: SandboxStats,
  before: SandboxStats,
): Promise<number> {
  // The sandbox's counters cover its whole life; its job file holds this job's bytes only.
  const base = atKill.bytesAppended - before.bytesAppended;
  let most = 0;
  const until = performance.now() + 1500;
  let last = -1;
  let stableSince = performance.now();
  while (performance.now() < until) {
    const size = sandbox.jobDataBytes();
    most = Math.max(most, size - base);
    if (size !== last) {
      last = size;
      stableSince = performance.now();
    } else if (size <= base && performance.now() - stableSince > 200) break;
    await sleep(1);
  }
  const now = await sandbox.stats();
  return now.chunksAppended > atKill.chunksAppended ? 0 : most;
}

export function printResume(r: ResumeResult): void {
  const MiBf = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
  printTable(
    `3. Resume after SIGKILL: ${fmtMiB(r.bytes)} over the modelled link, killed at ${(r.killFraction * 100).toFixed(0)} % of the expected time (seed ${r.seed})`,
    ['measure', 'value'],
    [
      ['killed after', fmtSec(r.killedAfterSec)],
      [
        'chunks appended before the kill',
        `${r.atKill.chunksAppended} (${MiBf(r.atKill.bytesAppended)})`,
      ],
      ['resume: start to first chunk POST at the server', fmtSec(r.resume.timeToFirstPostSec)],
      ['  (a fresh upload: start to first chunk POST)', fmtSec(r.resume.freshTimeToFirstPostSec)],
      [
        `  difference (reconciling; the ${MiBf(r.atKill.bytesAppended)} prefix is checked in parallel)`,
        `${r.resume.timeToFirstPostSec >= r.resume.freshTimeToFirstPostSec ? '+' : ''}${fmtSec(r.resume.timeToFirstPostSec - r.resume.freshTimeToFirstPostSec)}`,
      ],
      ['resume: whole run', fmtSec(r.resume.seconds)],
      [
        'chunk POSTs not appended (sent twice)',
        `${r.wastedPosts} (≤ ${MiBf(r.wastedUpperBoundBytes)})`,
      ],
      [
        'cut-off chunk: bytes at the server at the kill / in the end (lost)',
        `${MiBf(r.partialAtKillBytes)} / ${MiBf(r.partialBytes)}`,
      ],
      ['killed run + resume', fmtSec(r.totalSec)],
      [`uninterrupted upload (${r.uninterruptedFrom})`, fmtSec(r.uninterruptedSec)],
      [
        'cost of the interruption',
        `${fmtSec(r.overheadSec)} (${((r.overheadSec / r.uninterruptedSec) * 100).toFixed(0)} %)`,
      ],
    ],
    [
      'Before its first POST, resume starts the CLI and reconciles with the server (job + chunk list); the',
      'acknowledged prefix is checked against the journal’s MD5s (and the SHA-256 rebuilt) while the rest is sent.',
    ],
  );
}
