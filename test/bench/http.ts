import type { Agent, OutgoingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

/** Where requests go: a base URL, optionally reached through a Unix socket (see netns.ts). */
export interface Endpoint {
  base: string;
  socketPath?: string;
  /** For an https:// base: the CA to trust (the TLS sandbox's own certificate). */
  ca?: string;
}

export interface Reply {
  status: number;
  body: Buffer;
  json: unknown;
}

export interface CallOptions {
  headers?: OutgoingHttpHeaders;
  body?: Buffer | string | { stream: Readable; length: number };
  /**
   * Default `false`: a fresh connection, as a script without a session would open. For an
   * https:// endpoint, an https.Agent.
   */
  agent?: Agent | false;
}

/** One HTTP request with an exact Content-Length; resolves with the whole answer. */
export function call(
  ep: Endpoint,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, ep.base);
    const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
    const headers: OutgoingHttpHeaders = { ...opts.headers };
    if (body) headers['content-length'] = body.length;
    const tls = url.protocol === 'https:';
    const request = tls ? httpsRequest : httpRequest;
    const req = request(
      {
        method,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers,
        agent: opts.agent ?? false,
        ...(ep.socketPath ? { socketPath: ep.socketPath } : {}),
        ...(tls && ep.ca ? { ca: ep.ca } : {}),
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const buf = Buffer.concat(parts);
          let json: unknown;
          try {
            json = buf.length > 0 ? JSON.parse(buf.toString('utf8')) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: buf, json });
        });
      },
    );
    req.on('error', reject);
    if (body && 'stream' in body) {
      body.stream.on('error', (err) => req.destroy(err));
      body.stream.pipe(req);
    } else {
      req.end(body);
    }
  });
}

/** `call`, but anything other than `want` is an error naming the request and the answer. */
export async function expectStatus(
  want: number,
  ep: Endpoint,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Reply> {
  const r = await call(ep, method, path, opts);
  if (r.status !== want) {
    throw new Error(
      `${method} ${path} answered ${r.status} (expected ${want}): ${r.body.toString('utf8').slice(0, 300)}`,
    );
  }
  return r;
}

export const bearer = (key: string): OutgoingHttpHeaders => ({ authorization: `Bearer ${key}` });
