import type { AddressInfo, Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';

export interface ForwarderOptions {
  /** host:port to listen on (port 0: any free one). */
  listen: string;
  /** host:port every connection is forwarded to. */
  target: string;
  /** Also accept connections on this Unix socket (reachable from other network namespaces). */
  unixPath?: string;
}

function hostPort(s: string): { host: string; port: number } {
  const at = s.lastIndexOf(':');
  return { host: s.slice(0, at), port: Number(s.slice(at + 1)) };
}

/**
 * A plain TCP relay: the sandbox listens on 127.0.0.1 only, so inside its network namespace this
 * carries connections from the veth address to it (and from the client's loopback to the veth).
 * Nagle is off on both legs: it would add delayed-ACK stalls to small answers that the real
 * service, talking to the client directly, would not have.
 */
export async function startForwarder(opts: ForwarderOptions): Promise<{ port: number }> {
  const target = hostPort(opts.target);
  const relay = (client: Socket): void => {
    const upstream = connect(target.port, target.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  };
  const tcp = createServer(relay);
  const { host, port } = hostPort(opts.listen);
  await listen(tcp, () => tcp.listen(port, host));
  if (opts.unixPath) {
    const unix = createServer(relay);
    const path = opts.unixPath;
    await listen(unix, () => unix.listen(path));
  }
  return { port: (tcp.address() as AddressInfo).port };
}

function listen(server: Server, start: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
    start();
  });
}
