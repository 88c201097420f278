import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startForwarderProcess } from './child-run';
import { waitExit } from './procs';
import { onCleanup } from './cleanup';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process';

/** Addresses of the veth pair; both ends live in namespaces this run creates, not on the host. */
const CLIENT_ADDR = '10.231.77.1';
const SERVER_ADDR = '10.231.77.2';

export interface NetnsLink {
  clientNs: string;
  serverNs: string;
  /** Deletes both namespaces (and so the veth pair). */
  remove(): void;
}

const ip = (...args: string[]): string =>
  execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** `ip` with its arguments written as one line (none of them contains a space). */
const ipLine = (line: string): string => ip(...line.split(' '));

/** Why the veth variant cannot run here, or null when it can. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return 'network namespaces are Linux-only';
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root';
  for (const tool of ['ip', 'tc']) {
    try {
      execFileSync(tool, ['-V'], { stdio: 'ignore' });
    } catch {
      return `the "${tool}" command (iproute2) is missing`;
    }
  }
  return null;
}

/**
 * Two namespaces joined by a veth pair, with tbf limiting the client's side (the direction the
 * uploads flow). netem is not available on these kernels, so there is no added delay here: the
 * sandbox's per-request latency models the round trip.
 */
export function createNetnsLink(tcRate: string): NetnsLink {
  const tag = `fdb${process.pid}`;
  const names = { clientNs: `${tag}-client`, serverNs: `${tag}-server` };
  const [cIf, sIf] = [`${tag}c0`, `${tag}s0`];
  const remove = (): void => {
    for (const ns of [names.clientNs, names.serverNs]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // Not created (setup failed early) or already gone.
      }
    }
  };
  const forget = onCleanup('delete the benchmark network namespaces', remove);
  const link: NetnsLink = {
    ...names,
    remove() {
      forget();
      remove();
    },
  };
  try {
    ip('netns', 'add', link.clientNs);
    ip('netns', 'add', link.serverNs);
    ipLine(
      `link add ${cIf} netns ${link.clientNs} type veth peer name ${sIf} netns ${link.serverNs}`,
    );
    for (const [ns, dev, addr] of [
      [link.clientNs, cIf, CLIENT_ADDR],
      [link.serverNs, sIf, SERVER_ADDR],
    ] as const) {
      ip('-n', ns, 'addr', 'add', `${addr}/30`, 'dev', dev);
      ip('-n', ns, 'link', 'set', dev, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    const tbf = `tbf rate ${tcRate} burst 64kb latency 50ms`;
    ipLine(`netns exec ${link.clientNs} tc qdisc add dev ${cIf} root ${tbf}`);
  } catch (err) {
    link.remove();
    throw err;
  }
  return link;
}

/**
 * The sandbox inside the server namespace. It binds 127.0.0.1 there, so a relay carries the veth
 * address to it (plus a Unix socket, which crosses namespaces, for this process's admin calls);
 * in the client namespace a second relay gives the clients a loopback URL, because Firmdrop allows
 * plain http:// only to this computer. Both directions pass the same two relays for every client.
 */
export async function startNetnsSandbox(opts: {
  root: string;
  cli: string;
  dir: string;
  sandboxDir: string;
  link: NetnsLink;
}): Promise<{ sandbox: SandboxProcess; clientUrl: string; stop(): Promise<void> }> {
  const { root, link } = opts;
  const sandbox = await startSandboxProcess({
    cli: opts.cli,
    dataDir: join(opts.sandboxDir, 'sandbox-netns'),
    netns: link.serverNs,
  });
  const adminSocket = join(opts.dir, 'sandbox-admin.sock');
  const inner = await startForwarderProcess(
    root,
    {
      listen: `${SERVER_ADDR}:0`,
      target: `127.0.0.1:${new URL(sandbox.url).port}`,
      unixPath: adminSocket,
    },
    link.serverNs,
  );
  sandbox.endpoint = { base: sandbox.url, socketPath: adminSocket };
  const outer = await startForwarderProcess(
    root,
    { listen: '127.0.0.1:0', target: `${SERVER_ADDR}:${inner.port}` },
    link.clientNs,
  );
  return {
    sandbox,
    clientUrl: `http://127.0.0.1:${outer.port}`,
    async stop() {
      for (const relay of [outer.child, inner.child]) {
        relay.kill('SIGKILL');
        await waitExit(relay);
      }
      await sandbox.stop();
    },
  };
}
