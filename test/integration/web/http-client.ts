import { request } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: () => unknown;
}

/** node:http rather than fetch: the tests must set Host and Origin freely. */
export function send(
  port: number,
  opts: { method?: string; path: string; headers?: OutgoingHttpHeaders; body?: Buffer | string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { host: `127.0.0.1:${port}`, ...opts.headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => {
          const body = Buffer.concat(parts);
          const text = body.toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text,
            json: () => JSON.parse(text) as unknown,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export function invoke(
  port: number,
  token: string,
  channel: string,
  args: unknown[] = [],
  headers: OutgoingHttpHeaders = {},
): Promise<RawResponse> {
  return send(port, {
    method: 'POST',
    path: `/api/invoke/${channel}`,
    headers: { 'content-type': 'application/json', 'x-firmdrop-token': token, ...headers },
    body: JSON.stringify(args),
  });
}
