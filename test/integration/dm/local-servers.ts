import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';

/** One request as the server saw it. */
export interface Captured {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** Raw header names as sent, to catch duplicates. */
  rawHeaderNames: string[];
  bodyLength: number;
  bodySha256: string;
  body: Buffer | null;
}

export type Responder = (req: Captured, res: ServerResponse) => void;

function listen(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

/**
 * A real HTTP server on 127.0.0.1 that records what arrives (bodies hashed as they stream; kept
 * only when small) and answers through `respond`. With `tls` (see test-certs.ts) it is HTTPS.
 */
export async function startCapture(
  respond: Responder,
  keepBodiesUpTo = 1024 * 1024,
  tls?: { key: string; cert: string },
) {
  const requests: Captured[] = [];
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const hash = createHash('sha256');
    const parts: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      length += chunk.length;
      if (length <= keepBodiesUpTo) parts.push(chunk);
    });
    req.on('end', () => {
      const captured: Captured = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaderNames: req.rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase()),
        bodyLength: length,
        bodySha256: hash.digest('hex'),
        body: length <= keepBodiesUpTo ? Buffer.concat(parts) : null,
      };
      requests.push(captured);
      respond(captured, res);
    });
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  let connections = 0;
  server.on('connection', (s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await listen(server);
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * A minimal CONNECT proxy. `route` may point a requested host:port elsewhere, so a test can use a
 * made-up host name (not loopback, so environment proxy rules apply) that only the proxy resolves.
 */
export async function startConnectProxy(
  route: (host: string, port: number) => [string, number] | 'refuse' = (h, p) => [h, p],
) {
  const tunnels: string[] = [];
  const proxyAuth: Array<string | undefined> = [];
  // Plain forward-proxy requests ("GET http://host/path"), which carry their headers in clear.
  const forwarded: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    forwarded.push(req.url ?? '');
    res.writeHead(405).end('this test proxy only tunnels');
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    proxyAuth.push(req.headers['proxy-authorization']);
    const [host, portText] = (req.url ?? '').split(':');
    const target = route(host ?? '', Number(portText));
    if (target === 'refuse') {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const [toHost, toPort] = target;
    const upstream = connect(toPort, toHost, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    proxyAuth,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port that was just free and has nothing listening on it (for "connection refused"). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
