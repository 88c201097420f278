import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MiB } from '../../src-main/core/limits';
import type { BenchConfig, BenchDirs } from './config';
import { makeDataFile } from './files';
import { collect, spawnTracked, waitExit } from './procs';
import { fmtMiB, fmtRatio, fmtSec, printTable } from './report';
import { uniqueName } from './runs';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process';

const TARGETS = 3;
const CHUNK_MIB = 16;

/** What one `firmdrop upload` process read and spent (test/bench/io-probe.mjs, at its exit). */
export interface ProcessIo {
  /** Bytes the process asked the kernel to read (page cache or disk): /proc/self/io rchar. */
  rchar: number;
  /** Bytes that came from the disk itself: read_bytes. */
  readBytes: number;
  /** User + system CPU of the process, all its threads (the hash workers included). */
  cpuSeconds: number;
  seconds: number;
}

export interface FanoutCase extends ProcessIo {
  how: string;
  verified: number;
}

export interface FanoutResult {
  fileBytes: number;
  targets: number;
  chunkBytes: number;
  fanOut: FanoutCase;
  separate: FanoutCase;
  /** fan-out ÷ separate. */
  ratios: { rchar: number; readBytes: number | null; cpu: number };
}

/**
 * Benchmark: one file to three accounts on three sandboxes (three hosts), as one fan-out
 * (`firmdrop upload --account t1,t2,t3`) and as three separate `firmdrop upload` runs. The file
 * is dropped from the page cache before each case (`dd iflag=nocache`), so read_bytes shows the
 * disk and rchar what the process read in all. The fan-out needs stored accounts, so it runs in a
 * private D-Bus session with a throw-away gnome-keyring (as the CLI tests do).
 */
export async function benchFanout(cfg: BenchConfig, dirs: BenchDirs): Promise<FanoutResult> {
  const bytes = cfg.quick ? 64 * MiB : 256 * MiB;
  const sandboxes: SandboxProcess[] = [];
  try {
    for (let i = 0; i < TARGETS; i++) {
      sandboxes.push(
        await startSandboxProcess({ cli: cfg.cli, dataDir: join(dirs.sandbox, `fanout-${i}`) }),
      );
    }
    const file = join(dirs.work, `${uniqueName('fanout')}.bin`);
    makeDataFile(file, bytes);
    dropFromCache(file);
    const fanOut = await fanOutRun(cfg, dirs, sandboxes, file);
    dropFromCache(file);
    const separate = await separateRuns(cfg, dirs, sandboxes, file);
    return {
      fileBytes: bytes,
      targets: TARGETS,
      chunkBytes: CHUNK_MIB * MiB,
      fanOut,
      separate,
      ratios: {
        rchar: fanOut.rchar / separate.rchar,
        readBytes: separate.readBytes > 0 ? fanOut.readBytes / separate.readBytes : null,
        cpu: fanOut.cpuSeconds / separate.cpuSeconds,
      },
    };
  } finally {
    await Promise.all(sandboxes.map((s) => s.stop()));
  }
}

/** Asks the kernel to drop the file's pages (GNU dd: nocache with count=0 covers the whole file). */
function dropFromCache(file: string): void {
  execFileSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FIRMDROP_')) env[k] = v;
  return { ...env, ...extra };
}

const probe = (cfg: BenchConfig) => resolve(cfg.root, 'test/bench/io-probe.mjs');

// Adds the accounts t1..tN with their keys on stdin, then runs the fan-out with the probe loaded.
const FAN_OUT_SCRIPT = `set -e
printf %s bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null
i=1
for url in $FD_URLS; do
  printf '%s\\n' "$FD_KEY" | "$FD_NODE" "$FD_CLI" --data-dir "$FD_DATA" accounts add "t$i" --region "$url" >/dev/null
  i=$((i + 1))
done
FIRMDROP_BENCH_IO_FILE="$FD_IO" exec "$FD_NODE" --import "$FD_PROBE" "$FD_CLI" --data-dir "$FD_DATA" \\
  --json upload "$FD_FILE" --name "$FD_NAME" --chunk-size ${CHUNK_MIB} --account "$FD_ACCOUNTS"`;

async function fanOutRun(
  cfg: BenchConfig,
  dirs: BenchDirs,
  sandboxes: SandboxProcess[],
  file: string,
): Promise<FanoutCase> {
  const kr = mkdtempSync(join(dirs.work, 'keyring-'));
  execFileSync('mkdir', ['-m', '700', join(kr, 'run'), join(kr, 'data')]);
  const io = join(dirs.work, `${uniqueName('io')}.json`);
  const env = cleanEnv({
    XDG_RUNTIME_DIR: join(kr, 'run'),
    XDG_DATA_HOME: join(kr, 'data'),
    FD_NODE: process.execPath,
    FD_CLI: cfg.cli,
    FD_PROBE: probe(cfg),
    FD_DATA: mkdtempSync(join(dirs.work, 'journal-fanout-')),
    FD_FILE: file,
    FD_NAME: uniqueName('fan'),
    FD_KEY: sandboxes[0]?.apiKey ?? '',
    FD_URLS: sandboxes.map((s) => s.url).join(' '),
    FD_ACCOUNTS: sandboxes.map((_, i) => `t${i + 1}`).join(','),
    FD_IO: io,
  });
  const child = spawnTracked('dbus-run-session', ['--', 'sh', '-c', FAN_OUT_SCRIPT], { env });
  const reports = await finished(child, 'the fan-out');
  return { how: `fan-out to ${TARGETS} accounts`, ...readIo(io), verified: verifiedOf(reports) };
}

async function separateRuns(
  cfg: BenchConfig,
  dirs: BenchDirs,
  sandboxes: SandboxProcess[],
  file: string,
): Promise<FanoutCase> {
  const total: FanoutCase = {
    how: `${TARGETS} separate uploads`,
    rchar: 0,
    readBytes: 0,
    cpuSeconds: 0,
    seconds: 0,
    verified: 0,
  };
  const dataDir = mkdtempSync(join(dirs.work, 'journal-separate-'));
  for (const sandbox of sandboxes) {
    const io = join(dirs.work, `${uniqueName('io')}.json`);
    const child = spawnTracked(
      process.execPath,
      ['--import', probe(cfg), cfg.cli, '--data-dir', dataDir, '--json', 'upload', file].concat([
        '--name',
        uniqueName('sep'),
        '--chunk-size',
        String(CHUNK_MIB),
      ]),
      {
        env: cleanEnv({
          FIRMDROP_API_URL: sandbox.url,
          FIRMDROP_API_KEY: sandbox.apiKey,
          FIRMDROP_BENCH_IO_FILE: io,
        }),
      },
    );
    const reports = await finished(child, 'a separate upload');
    const one = readIo(io);
    total.rchar += one.rchar;
    total.readBytes += one.readBytes;
    total.cpuSeconds += one.cpuSeconds;
    total.seconds += one.seconds;
    total.verified += verifiedOf(reports);
  }
  return total;
}

type Report = { state: string; verified: boolean };

async function finished(child: ReturnType<typeof spawnTracked>, what: string): Promise<Report[]> {
  const out = collect(child.stdout);
  const err = collect(child.stderr);
  const exit = await waitExit(child);
  if (exit.code !== 0) {
    throw new Error(`${what} exited ${exit.code ?? exit.signal}: ${err().trim().slice(-800)}`);
  }
  return JSON.parse(out()) as Report[];
}

const verifiedOf = (reports: Report[]) =>
  reports.filter((r) => r.state === 'done' && r.verified).length;

function readIo(file: string): ProcessIo {
  return JSON.parse(readFileSync(file, 'utf8')) as ProcessIo;
}

export function printFanout(r: FanoutResult): void {
  const row = (c: FanoutCase): string[] => [
    c.how,
    fmtMiB(c.rchar),
    fmtMiB(c.readBytes),
    `${c.cpuSeconds.toFixed(2)} s`,
    fmtSec(c.seconds),
    `${c.verified}/${TARGETS}`,
  ];
  printTable(
    `Fan-out: one ${fmtMiB(r.fileBytes)} file to ${r.targets} accounts on ${r.targets} hosts (chunks of ${fmtMiB(r.chunkBytes)})`,
    ['how', 'read (rchar)', 'from disk (read_bytes)', 'CPU (user+sys)', 'time', 'verified'],
    [
      row(r.fanOut),
      row(r.separate),
      [
        'fan-out ÷ separate',
        fmtRatio(r.ratios.rchar),
        fmtRatio(r.ratios.readBytes),
        fmtRatio(r.ratios.cpu),
        '',
        '',
      ],
    ],
    [
      'Each `firmdrop upload` process reports its own /proc/self/io and CPU time at exit.',
      'The file is dropped from the page cache before each case; separate runs after the first find it cached.',
    ],
  );
}
