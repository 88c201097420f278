import type { BenchConfig, BenchDirs } from './config';
import { dataFile } from './files';
import { createNetnsLink, netnsUnavailable, startNetnsSandbox } from './netns';
import { fmtMiB, fmtRate, fmtRatio, fmtSec, printTable } from './report';
import { baselineRun, firmdropUpload, type Figure, type UploadTarget } from './runs';

export type NetnsResult =
  | { skipped: string }
  | {
      bytes: number;
      tcRate: string;
      latencyMs: number;
      firmdrop: Figure;
      baseline: Figure & { chunks: number };
      firmdropVsBaseline: number;
    };

/**
 * Benchmark 1c: Firmdrop vs the baseline over a real kernel link: a veth pair between two network
 * namespaces created for the run, rate-limited by tbf, with the sandbox's per-request latency as
 * the round trip (netem is not available). The namespaces are deleted at the end, or on any exit.
 */
export async function benchNetns(cfg: BenchConfig, dirs: BenchDirs): Promise<NetnsResult> {
  const dir = dirs.work;
  if (!cfg.netns.enabled) return { skipped: 'turned off with FIRMDROP_BENCH_NETNS=0' };
  const why = netnsUnavailable();
  if (why) return { skipped: why };
  let link;
  try {
    link = createNetnsLink(cfg.netns.tcRate);
  } catch (err) {
    return { skipped: `setting up the namespaces failed: ${(err as Error).message.trim()}` };
  }
  let served;
  try {
    served = await startNetnsSandbox({
      root: cfg.root,
      cli: cfg.cli,
      dir,
      sandboxDir: dirs.sandbox,
      link,
    });
  } catch (err) {
    link.remove();
    throw err;
  }
  const { sandbox, clientUrl } = served;
  try {
    const bytes = cfg.sizes.netns;
    const file = dataFile(dir, bytes);
    await sandbox.setLink({ latencyMs: cfg.netns.latencyMs, bandwidthBytesPerSec: null });
    const target: UploadTarget = {
      sandbox,
      url: clientUrl,
      netns: link.clientNs,
      linkBytesPerSec: cfg.netns.bytesPerSec,
    };
    const firmdrop = await firmdropUpload(cfg, target, { file, bytes, dir, label: 'veth' });
    const baseline = await baselineRun(cfg, target, { file, bytes, label: 'veth-base' });
    return {
      bytes,
      tcRate: cfg.netns.tcRate,
      latencyMs: cfg.netns.latencyMs,
      firmdrop,
      baseline,
      firmdropVsBaseline: firmdrop.mibPerSec / baseline.mibPerSec,
    };
  } finally {
    await served.stop();
    link.remove();
  }
}

export function printNetns(r: NetnsResult): void {
  if ('skipped' in r) {
    process.stdout.write(
      `\n1c. Throughput over a veth pair between namespaces: skipped (${r.skipped}).\n`,
    );
    return;
  }
  printTable(
    `1c. Throughput over a veth pair (tbf ${r.tcRate}) between two namespaces: ${fmtMiB(r.bytes)}, +${r.latencyMs} ms per request`,
    ['uploader', 'time', 'MiB/s', 'of link'],
    [
      [
        'Firmdrop CLI',
        fmtSec(r.firmdrop.seconds),
        fmtRate(r.firmdrop.mibPerSec),
        fmtRatio(r.firmdrop.ofLink),
      ],
      [
        `baseline script (${r.baseline.chunks} chunks)`,
        fmtSec(r.baseline.seconds),
        fmtRate(r.baseline.mibPerSec),
        fmtRatio(r.baseline.ofLink),
      ],
    ],
    [
      `Firmdrop / baseline: ${fmtRatio(r.firmdropVsBaseline)}. "of link" is against the nominal tbf rate, which counts Ethernet/IP/TCP headers too (~95 % is the most a TCP payload can get).`,
      'Both clients reach the sandbox through the same two TCP relays (loopback in the client namespace, veth address to 127.0.0.1 in the server one).',
    ],
  );
}
