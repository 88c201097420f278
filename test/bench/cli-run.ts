import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { collect, spawnTracked, waitExit } from './procs';

const GNU_TIME = '/usr/bin/time';

/** The fields of `firmdrop upload|resume --json` the benchmarks look at. */
export interface CliReport {
  state: string;
  verified: boolean;
  size: number | null;
  firmware_image_id: string | null;
  datafile_checksum: string | null;
  error: string | null;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From spawn to exit: Node's start-up and the pre-flight requests are included. */
  seconds: number;
  reports: CliReport[] | null;
  stderr: string;
  /** Peak resident set (VmHWM) of the CLI process, KiB, when measured. */
  maxRssKiB: number | null;
  /** User + system CPU time of the CLI process (all its threads), when measured. */
  cpuSeconds: number | null;
}

export interface CliRunOptions {
  cli: string;
  /** e.g. ['upload', file, '--json', '--data-dir', dir] */
  args: string[];
  url: string;
  apiKey: string;
  /** A CA certificate file the CLI must trust (`--ca`, for the TLS sandbox). */
  caFile?: string | null;
  netns?: string;
  /** Measure peak RSS and CPU time with GNU time (read from the kernel at exit). Not with kills:
   * the signal would reach GNU time, not the CLI. */
  measure?: { scratchDir: string };
  /** Called once the child runs (the resume benchmark kills it from here). */
  onStart?: (child: ChildProcess, startedAt: number) => void;
}

/** Runs the built `firmdrop` CLI as users do, with the API and key from the environment. */
export async function runFirmdrop(opts: CliRunOptions): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FIRMDROP_')) env[k] = v;
  env.FIRMDROP_API_URL = opts.url;
  env.FIRMDROP_API_KEY = opts.apiKey;

  let cmd = process.execPath;
  let args = [opts.cli, ...(opts.caFile ? ['--ca', opts.caFile] : []), ...opts.args];
  let rssFile: string | null = null;
  if (opts.measure) {
    if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is needed to measure RSS and CPU.`);
    rssFile = join(opts.measure.scratchDir, `time-${process.hrtime.bigint()}.txt`);
    args = ['-f', '%M %U %S', '-o', rssFile, cmd, ...args];
    cmd = GNU_TIME;
  }
  if (opts.netns) {
    args = ['netns', 'exec', opts.netns, cmd, ...args];
    cmd = 'ip';
  }
  const started = performance.now();
  const child = spawnTracked(cmd, args, { env });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  opts.onStart?.(child, started);
  const exit = await waitExit(child);
  const seconds = (performance.now() - started) / 1000;
  let reports: CliReport[] | null;
  try {
    reports = JSON.parse(stdout()) as CliReport[];
  } catch {
    reports = null; // killed, or failed before printing
  }
  let maxRssKiB: number | null = null;
  let cpuSeconds: number | null = null;
  if (rssFile) {
    // GNU time writes "Command exited with non-zero status N" first when the command failed.
    const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
    const [rss, user, sys] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
    maxRssKiB = rss ?? null;
    cpuSeconds = (user ?? NaN) + (sys ?? NaN);
    rmSync(rssFile, { force: true });
  }
  return { ...exit, seconds, reports, stderr: stderr(), maxRssKiB, cpuSeconds };
}

/** The one upload the run made, which must be done and verified. */
export function uploadedReport(run: CliRun, what: string): CliReport {
  const r = run.reports?.[0];
  if (run.code !== 0 || !r || r.state !== 'done' || !r.verified) {
    throw new Error(
      `${what}: firmdrop exited ${run.code ?? run.signal} with ${JSON.stringify(r ?? null)}; stderr: ${run.stderr.trim().slice(-800)}`,
    );
  }
  return r;
}
