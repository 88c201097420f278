import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MiB } from '../../src-main/core/limits';
import { runFirmdrop } from './cli-run';
import type { BenchConfig, BenchDirs } from './config';
import { makeDataFile } from './files';
import { inProcessEngine } from './in-process';
import { fmtSec, printTable } from './report';
import { uniqueName } from './runs';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process';

/** The case: a release of many small images (one per device variant). */
const FILES = 20;
const FILE_BYTES = 1 * MiB;
const RTT_MS = 100;
const LINK_BYTES_PER_SEC = 40 * MiB;

export interface SmallFilesCase {
  how: string;
  seconds: number;
  requests: number;
}

export interface SmallFilesResult {
  files: number;
  fileBytes: number;
  rttMs: number;
  bytesPerSec: number;
  cases: SmallFilesCase[];
}

/**
 * Benchmark: 20 files of 1 MiB over the WAN link model (TLS 1.3, RTT 100 ms, 40 MiB/s: a round
 * trip per request, the TCP and TLS handshakes of every new connection, slow start per
 * connection), (a) through the engine in-process as the app's batch start drives it (one batch
 * pre-flight, then the queue), timed from the pre-flight to the last verified image, on cold
 * connections; (b) through the `firmdrop upload` CLI, timed from spawn to exit (Node's start-up
 * included).
 */
export async function benchSmallFiles(
  cfg: BenchConfig,
  dirs: BenchDirs,
): Promise<SmallFilesResult> {
  const sandbox = await startSandboxProcess({
    cli: cfg.cli,
    dataDir: join(dirs.sandbox, 'sandbox-small'),
    tls: true,
  });
  const cases: SmallFilesCase[] = [];
  try {
    await sandbox.setLink({ latencyMs: RTT_MS, bandwidthBytesPerSec: LINK_BYTES_PER_SEC });
    const repeats = cfg.quick ? 1 : 3;
    for (let i = 0; i < repeats; i++) {
      cases.push(
        await measure(sandbox, 'engine in-process (app batch)', () =>
          inProcess(sandbox, dirs.work),
        ),
      );
      cases.push(
        await measure(sandbox, 'firmdrop upload (CLI)', () => viaCli(cfg, sandbox, dirs.work)),
      );
    }
  } finally {
    await sandbox.stop();
  }
  return {
    files: FILES,
    fileBytes: FILE_BYTES,
    rttMs: RTT_MS,
    bytesPerSec: LINK_BYTES_PER_SEC,
    cases,
  };
}

async function measure(
  sandbox: SandboxProcess,
  how: string,
  run: () => Promise<number>,
): Promise<SmallFilesCase> {
  const before = (await sandbox.stats()).requests;
  const seconds = await run();
  const requests = (await sandbox.stats()).requests - before;
  return { how, seconds, requests };
}

function makeFiles(work: string): string[] {
  const dir = join(work, uniqueName('variants'));
  mkdirSync(dir);
  return Array.from({ length: FILES }, (_, i) => {
    const path = join(dir, `${uniqueName('variant')}-${i}.bin`);
    makeDataFile(path, FILE_BYTES);
    return path;
  });
}

async function inProcess(sandbox: SandboxProcess, work: string): Promise<number> {
  const files = makeFiles(work);
  const engine = inProcessEngine({
    work,
    baseUrl: sandbox.url,
    apiKey: sandbox.apiKey,
    ca: sandbox.endpoint.ca,
    adaptive: false,
  });
  try {
    return (await engine.run(files.map((filePath) => ({ filePath })))).seconds;
  } finally {
    await engine.close();
  }
}

async function viaCli(cfg: BenchConfig, sandbox: SandboxProcess, work: string): Promise<number> {
  const files = makeFiles(work);
  const dataDir = mkdtempSync(join(work, 'journal-small-cli-'));
  try {
    const run = await runFirmdrop({
      cli: cfg.cli,
      args: ['upload', ...files, '--json', '--data-dir', dataDir],
      url: sandbox.url,
      apiKey: sandbox.apiKey,
      caFile: sandbox.caCertPath,
    });
    const ok = run.reports?.filter((r) => r.state === 'done' && r.verified).length ?? 0;
    if (run.code !== 0 || ok !== FILES) {
      throw new Error(
        `firmdrop exited ${run.code} with ${ok} of ${FILES} verified: ${run.stderr.slice(-800)}`,
      );
    }
    return run.seconds;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printSmallFiles(r: SmallFilesResult): void {
  printTable(
    `Many small files: ${r.files} × ${r.fileBytes / MiB} MiB, TLS 1.3, RTT ${r.rttMs} ms, ${r.bytesPerSec / MiB} MiB/s (target ≤ 2.5 s)`,
    ['how', 'time', 'requests', 'per file'],
    r.cases.map((c) => [
      c.how,
      fmtSec(c.seconds),
      String(c.requests),
      (c.requests / r.files).toFixed(1),
    ]),
    [
      'The link needs 0.5 s for the bytes. Each new connection pays its TCP and TLS handshakes and starts slow;',
      'the CLI time includes Node start-up; its pre-flight is the same batch one (planUploads) as the engine path.',
    ],
  );
}
