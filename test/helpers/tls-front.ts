import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

export interface TlsFront {
  /** 'https://127.0.0.1:PORT' */
  url: string;
  /** The self-signed certificate, for a client to trust. */
  certPem: string;
  close(): Promise<void>;
}

/**
 * A TLS-terminating front for a plain-http server on 127.0.0.1: each request is passed on as it
 * came (method, path, headers, streamed body) and the answer streamed back. For clients that
 * insist on https, such as Arm's SDK. The certificate is self-signed for 127.0.0.1 and localhost.
 */
export async function startTlsFront(target: string): Promise<TlsFront> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const upstream = new URL(target);
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    certPem: pems.cert,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
