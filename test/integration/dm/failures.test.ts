import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDmClient, type DmClient } from '../../../src-main/dm/client';
import { DmApiError, DmNetworkError } from '../../../src-main/dm/errors';
import type { RetryEvent } from '../../../src-main/dm/retry';
import { closedPort, json, startCapture, type Responder } from './local-servers';
import { KEY } from './secrets';

const page = { data: [], has_more: false };
let respond: Responder = (_req, res) => json(res, 200, page);
let server: Awaited<ReturnType<typeof startCapture>>;
const clients: DmClient[] = [];

function client(
  extra: Partial<Parameters<typeof createDmClient>[0]> = {},
  baseUrl = server.url,
): DmClient {
  const c = createDmClient({
    baseUrl,
    apiKey: KEY,
    env: {},
    timeoutMs: 5000,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...extra,
  });
  clients.push(c);
  return c;
}

async function failure(p: Promise<unknown>): Promise<DmNetworkError | DmApiError> {
  const err = await p.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (e: unknown) => e,
  );
  if (err instanceof DmNetworkError || err instanceof DmApiError) return err;
  throw err;
}

/** A server that reads request bodies at `bytesPerSec` (0: never) and then answers 201. */
async function slowReader(bytesPerSec: number) {
  const sockets = new Set<Socket>();
  const srv = createServer((req, res) => {
    let got = 0;
    req.pause();
    if (bytesPerSec === 0) return;
    const tick = setInterval(() => {
      let chunk: Buffer | null;
      let budget = bytesPerSec / 20;
      while (budget > 0 && (chunk = req.read() as Buffer | null) !== null) {
        got += chunk.length;
        budget -= chunk.length;
      }
    }, 50);
    req.on('end', () => {
      clearInterval(tick);
      json(res, 201, { id: 1, length: got });
    });
    req.on('close', () => clearInterval(tick));
  });
  srv.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        srv.close(() => r());
      }),
  };
}

beforeAll(async () => {
  server = await startCapture((req, res) => respond(req, res));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  server.requests.length = 0;
});
afterAll(() => server.close());

describe('timeouts and cancellation', () => {
  it('a server that never answers times out near timeoutMs, naming the host', async () => {
    respond = () => undefined;
    const started = Date.now();
    const err = await failure(client({ timeoutMs: 300, retry: { maxAttempts: 1 } }).listImages());
    const elapsed = Date.now() - started;
    expect(err.code).toBe('timeout');
    expect(err.message).toContain(`127.0.0.1:${server.port}`);
    expect(err.message).toContain('Check the network or proxy.');
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(2000);
  });

  it('a GET that timed out is retried, then reported', async () => {
    respond = () => undefined;
    const events: RetryEvent[] = [];
    const err = await failure(
      client({
        timeoutMs: 150,
        retry: { maxAttempts: 3 },
        onRetry: (e) => events.push(e),
      }).getUploadJob('j'),
    );
    expect(err.code).toBe('timeout');
    expect(server.requests).toHaveLength(3);
    expect(events.map((e) => e.error.code)).toEqual(['timeout', 'timeout']);
  });

  it('the caller’s AbortSignal cancels a request in flight', async () => {
    respond = () => undefined;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const err = await failure(client().getUploadJob('j', { signal: controller.signal }));
    expect(err.code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a signal aborted before the call sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = (await failure(
      client().completeUploadJob('j', { signal: controller.signal }),
    )) as DmNetworkError;
    expect(err.code).toBe('cancelled');
    expect(err.sent).toBe('none');
    expect(server.requests).toHaveLength(0);
  });

  it('an upload gets a deadline that grows with its size; a fixed one would have fired', async () => {
    const slow = await slowReader(2 * 1024 * 1024); // reads ~2 MiB/s, answers when all is read
    try {
      const body = Buffer.alloc(2 * 1024 * 1024, 3);
      const md5Base64 = createHash('md5').update(body).digest('base64');
      // 300 ms + 2 MiB at ≥ 256 KiB/s = 8.3 s: enough for a transfer of about a second, with room
      // for a loaded machine.
      const roomy = client({ timeoutMs: 300, minUploadBytesPerSecond: 256 * 1024 }, slow.url);
      await expect(roomy.appendChunk('j', { body, md5Base64 })).resolves.toMatchObject({ id: 1 });
      // 300 ms + 2 MiB at ≥ 100 MiB/s = 320 ms: too short for the same transfer.
      const tight = client(
        { timeoutMs: 300, minUploadBytesPerSecond: 100 * 1024 * 1024 },
        slow.url,
      );
      const err = (await failure(tight.appendChunk('j', { body, md5Base64 }))) as DmNetworkError;
      expect(err.code).toBe('timeout');
      expect(err.sent).not.toBe('none');
    } finally {
      await slow.close();
    }
  });

  it('an upload the server stops reading is a stall: timeout after timeoutMs, sent partial', async () => {
    const stuck = await slowReader(0);
    try {
      const body = Buffer.alloc(64 * 1024 * 1024, 1); // more than socket buffers can swallow
      const started = Date.now();
      const err = (await failure(
        client({ timeoutMs: 400, minUploadBytesPerSecond: 1024 }, stuck.url).appendChunk('j', {
          body,
          md5Base64: createHash('md5').update(body).digest('base64'),
        }),
      )) as DmNetworkError;
      expect(err.code).toBe('timeout');
      expect(err.sent).toBe('partial');
      expect(err.message).toContain("stopped taking the upload's data for 0.4 s");
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await stuck.close();
    }
  });
});

describe('connection failures and what was sent', () => {
  it('connection refused: network, sent none, says check the network or proxy', async () => {
    const port = await closedPort();
    const err = (await failure(
      client({ retry: { maxAttempts: 1 } }, `http://127.0.0.1:${port}`).appendChunk('j', {
        body: Buffer.alloc(10),
        md5Base64: 'CMEqMjGzMYfX3Nx6n6IO+A==',
      }),
    )) as DmNetworkError;
    expect(err).toBeInstanceOf(DmNetworkError);
    expect(err.code).toBe('network');
    expect(err.sent).toBe('none');
    expect(err.message).toBe(
      `Could not reach 127.0.0.1:${port} to upload a chunk (connection refused). Check the network or proxy.`,
    );
  });

  it('an unknown host name: network, sent none', async () => {
    const err = (await failure(
      client({ retry: { maxAttempts: 1 } }, 'https://firmdrop-no-such-host.invalid').getMyAccount(),
    )) as DmNetworkError;
    expect(err.sent).toBe('none');
    expect(err.message).toMatch(/host name (not found|lookup failed)/);
  });

  it('a connection reset after part of a chunk: network, sent is not none', async () => {
    const resetter: Server = createServer((req) => {
      let got = 0;
      req.on('data', (c: Buffer) => {
        got += c.length;
        if (got >= 1000) req.socket.destroy();
      });
    });
    await new Promise<void>((r) => resetter.listen(0, '127.0.0.1', r));
    const { port } = resetter.address() as AddressInfo;
    try {
      const body = Buffer.alloc(8 * 1024 * 1024, 9);
      const err = (await failure(
        client({}, `http://127.0.0.1:${port}`).appendChunk('j', {
          body,
          md5Base64: createHash('md5').update(body).digest('base64'),
        }),
      )) as DmNetworkError;
      expect(err.code).toBe('network');
      // The engine must reconcile: partial (body not all read out) or unknown, never none.
      expect(['partial', 'unknown']).toContain(err.sent);
    } finally {
      await new Promise<void>((r) => resetter.close(() => r()));
    }
  });

  it('the server answering and then closing without a body: network, sent unknown', async () => {
    respond = (_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const err = (await failure(client().completeUploadJob('j'))) as DmNetworkError;
    expect(err.code).toBe('network');
    expect(err.sent).toBe('unknown');
  });
});

describe('retries', () => {
  it('GET: 503 twice then 200 succeeds after three requests', async () => {
    let n = 0;
    respond = (_req, res) =>
      ++n <= 2 ? json(res, 503, { code: 503, message: 'busy' }) : json(res, 200, page);
    await expect(client().listUploadJobs()).resolves.toMatchObject({ data: [] });
    expect(server.requests).toHaveLength(3);
  });

  it('GET: a 429 waits Retry-After and reports it through onRetry', async () => {
    let n = 0;
    respond = (_req, res) =>
      ++n === 1
        ? json(res, 429, { message: 'slow down' }, { 'retry-after': '1' })
        : json(res, 200, page);
    const events: RetryEvent[] = [];
    const started = Date.now();
    await client({ onRetry: (e) => events.push(e) }).listImages();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(events).toHaveLength(1);
    expect(events[0]?.error).toBeInstanceOf(DmApiError);
    expect((events[0]?.error as DmApiError).retryAfterSeconds).toBe(1);
  });

  it('POST: a 503 is reported after exactly one request', async () => {
    respond = (_req, res) => json(res, 503, { message: 'busy' });
    const err = await failure(
      client().createUploadJob({ name: 'n', description: '', encrypt: false }),
    );
    expect(err.code).toBe('server-error');
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('POST: a 429 surfaces with retryAfterSeconds for the engine', async () => {
    respond = (_req, res) => json(res, 429, {}, { 'retry-after': '12' });
    const err = (await failure(client().completeUploadJob('j'))) as DmApiError;
    expect(err.code).toBe('rate-limited');
    expect(err.retryAfterSeconds).toBe(12);
    expect(server.requests).toHaveLength(1);
  });
});
