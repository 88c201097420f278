import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxRequestRecord, SandboxStats } from '../../src-sandbox';
import { bearer, call, expectStatus, type Endpoint } from './http';
import { readUntil, spawnTracked, waitExit } from './procs';

export const BENCH_KEY = 'ak_bench_0123456789abcdef';

/** The sandbox's link model: RTT per request (and per handshake round trip), shared rate. */
export interface LinkSettings {
  latencyMs: number;
  bandwidthBytesPerSec: number | null;
}

/**
 * The sandbox as its own process (`firmdrop sandbox`), so its work (MD5 of every body, writes,
 * throttling) never shares an event loop with the client being measured.
 */
export interface SandboxProcess {
  url: string;
  apiKey: string;
  adminToken: string;
  dataDir: string;
  /** With `tls`: the certificate clients must trust (firmdrop --ca). */
  caCertPath: string | null;
  pid: number;
  /** How this process reaches the sandbox (set to a Unix socket when it runs in a namespace). */
  endpoint: Endpoint;
  setLink(link: LinkSettings): Promise<void>;
  stats(): Promise<SandboxStats>;
  /** The sandbox's request log (API requests in order of arrival, with wall-clock times). */
  requests(): Promise<SandboxRequestRecord[]>;
  /** User + system CPU the sandbox process has used so far (all its threads). */
  cpuSeconds(): number;
  /** Bytes in the sandbox's job data files: appended chunks plus the one being received. */
  jobDataBytes(): number;
  deleteImage(imageId: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startSandboxProcess(opts: {
  cli: string;
  dataDir: string;
  /** Run inside this network namespace (`ip netns exec`). */
  netns?: string;
  /** HTTPS with the sandbox's fresh certificate (`--tls`): its path is the second line. */
  tls?: boolean;
}): Promise<SandboxProcess> {
  const args = [
    opts.cli,
    'sandbox',
    '--port',
    '0',
    '--key',
    `${BENCH_KEY}:1`,
    '--data-dir',
    opts.dataDir,
    ...(opts.tls ? ['--tls'] : []),
  ];
  const child = opts.netns
    ? spawnTracked('ip', ['netns', 'exec', opts.netns, process.execPath, ...args])
    : spawnTracked(process.execPath, args);
  const lines = await readUntil(
    child,
    (ls) => ls.some((l) => l.startsWith('admin-token ')),
    'The sandbox process',
  );
  const url = lines[0] ?? '';
  const caCertPath = opts.tls ? (lines[1] ?? '') : null;
  const ca = caCertPath === null ? undefined : readFileSync(caCertPath, 'utf8');
  const adminToken = lines.find((l) => l.startsWith('admin-token '))?.split(' ')[1] ?? '';
  const admin = { 'x-sandbox-admin': adminToken, 'content-type': 'application/json' };
  const sandbox: SandboxProcess = {
    url,
    apiKey: BENCH_KEY,
    adminToken,
    dataDir: opts.dataDir,
    caCertPath,
    pid: child.pid ?? -1,
    endpoint: { base: url, ...(ca === undefined ? {} : { ca }) },
    async setLink(link) {
      await expectStatus(200, sandbox.endpoint, 'PUT', '/__sandbox/settings', {
        headers: admin,
        body: JSON.stringify(link),
      });
    },
    async stats() {
      const r = await expectStatus(200, sandbox.endpoint, 'GET', '/__sandbox/state', {
        headers: admin,
      });
      return (r.json as { stats: SandboxStats }).stats;
    },
    async requests() {
      const r = await expectStatus(200, sandbox.endpoint, 'GET', '/__sandbox/requests', {
        headers: admin,
      });
      return (r.json as { requests: SandboxRequestRecord[] }).requests;
    },
    cpuSeconds: () => processCpuSeconds(child.pid ?? -1),
    jobDataBytes() {
      const dir = join(opts.dataDir, 'jobs');
      let total = 0;
      for (const f of readdirSync(dir)) {
        if (!f.endsWith('.bin')) continue;
        try {
          total += statSync(join(dir, f)).size;
        } catch {
          // Renamed into an image between the listing and the stat: no longer job data.
        }
      }
      return total;
    },
    async deleteImage(imageId) {
      const r = await call(
        sandbox.endpoint,
        'DELETE',
        `/v3/firmware-images/${encodeURIComponent(imageId)}/`,
        { headers: bearer(BENCH_KEY) },
      );
      if (r.status !== 204 && r.status !== 404) {
        throw new Error(`deleting image ${imageId} answered ${r.status}`);
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await waitExit(child);
    },
  };
  return sandbox;
}

let ticksPerSecond = 0;

/** utime + stime from /proc/PID/stat (fields 14 and 15, counted after the parenthesised name). */
export function processCpuSeconds(pid: number): number {
  ticksPerSecond ||= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
