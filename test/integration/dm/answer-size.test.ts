import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FirmdropError } from '../../../src-main/core/errors';
import { MiB } from '../../../src-main/core/limits';
import { createDmClient, type DmClient } from '../../../src-main/dm/client';
import { MAX_ANSWER_BYTES } from '../../../src-main/dm/answer';
import { startCapture } from './local-servers';
import { KEY } from './secrets';

// A server that answers a list with an endless JSON document (256 MiB at most, so the test ends
// even when the client reads it all). The client must stop at its cap, say so, and not grow.
const LIMIT = 256 * MiB;
let sent = 0;
let ended: Promise<void> = Promise.resolve();
let server: Awaited<ReturnType<typeof startCapture>>;
const clients: DmClient[] = [];

function stream(res: ServerResponse, headers: Record<string, string | number>): void {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  const piece = Buffer.from(`"${'x'.repeat(64 * 1024 - 3)}",`);
  let done!: () => void;
  ended = new Promise((r) => (done = r));
  res.on('close', () => done());
  const pump = (): void => {
    while (!res.destroyed && sent < LIMIT) {
      sent += piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end('"end"]}');
  };
  res.write('{"data":[');
  pump();
}

beforeAll(async () => {
  server = await startCapture((req, res) => {
    if (req.url.startsWith('/announced')) {
      // Content-Length says 2 GB up front: nothing need be read to know.
      stream(res, { 'content-length': 2 * 1024 * MiB });
    } else stream(res, {});
  });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  sent = 0;
});
afterAll(() => server.close());

function client(path = ''): DmClient {
  const c = createDmClient({
    baseUrl: server.url + path,
    apiKey: KEY,
    env: {},
    timeoutMs: 20_000,
    retry: { maxAttempts: 1 },
  });
  clients.push(c);
  return c;
}

describe('answer size', () => {
  it('an endless answer: stops at the cap with a bad-response that names host and endpoint', async () => {
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const err = await client()
      .listImages()
      .catch((e: unknown) => e);
    const ms = Date.now() - started;
    await ended; // the server saw the connection close
    expect(err).toBeInstanceOf(FirmdropError);
    expect((err as FirmdropError).code).toBe('bad-response');
    expect((err as FirmdropError).message).toBe(
      `The answer from 127.0.0.1:${server.port} to GET /v3/firmware-images/ was too large (more than 16 MiB; Device Management answers are far smaller than 16 MiB), so Firmdrop stopped reading it. Check that the base URL points at a Device Management API (and that no proxy in between answers in its place).`,
    );
    // Whatever the kernel's socket buffers hold on top of the cap, and no more.
    expect(sent).toBeGreaterThan(MAX_ANSWER_BYTES);
    expect(sent).toBeLessThan(MAX_ANSWER_BYTES + 16 * MiB);
    expect(ms).toBeLessThan(5000);
    // Loosely: the cap and a copy of it, not hundreds of MiB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(120 * MiB);
  });

  it('an answer that announces 2 GB is refused before its body is read', async () => {
    const err = (await client('/announced')
      .listUploadJobs()
      .catch((e: unknown) => e)) as FirmdropError;
    await ended;
    expect(err.code).toBe('bad-response');
    expect(err.message).toContain(
      `The answer from 127.0.0.1:${server.port} to GET /announced/v3/firmware-images/upload-jobs was too large (2147483648 bytes announced;`,
    );
    expect(sent).toBeLessThan(16 * MiB);
  });
});
