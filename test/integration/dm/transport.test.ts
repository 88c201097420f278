import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FirmdropError } from '../../../src-main/core/errors';
import { createDmClient, type DmClient } from '../../../src-main/dm/client';
import { DmApiError, DmNetworkError } from '../../../src-main/dm/errors';
import { json, startCapture, type Responder } from './local-servers';
import { everythingVisible, KEY } from './secrets';

const md5b64 = (b: Buffer) => createHash('md5').update(b).digest('base64');
const chunkJson = (id: number, length: number) => ({
  id,
  length,
  hash: 'd41d8cd98f00b204e9800998ecf8427e',
  created_at: '2024-01-01T00:00:00Z',
  updated_at: '2024-01-01T00:00:00Z',
  etag: '1',
});
const jobJson = {
  id: 'job1',
  name: 'n',
  description: '',
  status: 'not_started',
  completed: false,
  firmware_image_id: '',
};
const imageJson = {
  id: 'img1',
  name: 'n',
  description: '',
  datafile: 'http://x/1',
  datafile_checksum: 'c',
  datafile_size: 3,
  created_at: 't',
  updated_at: 't',
  etag: 't',
};

let respond: Responder = (_req, res) => json(res, 200, {});
let server: Awaited<ReturnType<typeof startCapture>>;
const dir = mkdtempSync(join(tmpdir(), 'firmdrop-dm-transport-'));
const clients: DmClient[] = [];
const logLines: string[] = [];

function client(extra: Partial<Parameters<typeof createDmClient>[0]> = {}): DmClient {
  const c = createDmClient({
    baseUrl: server.url,
    apiKey: KEY,
    timeoutMs: 5000,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    logger: {
      debug: (msg, meta) => logLines.push(msg + JSON.stringify(meta)),
      warn: (msg, meta) => logLines.push(msg + JSON.stringify(meta)),
    },
    env: {},
    ...extra,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startCapture((req, res) => respond(req, res));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  server.requests.length = 0;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('what goes on the wire', () => {
  it('a data chunk: exact Content-Length, Content-MD5, binary/octet-stream, never chunked', async () => {
    respond = (req, res) => json(res, 201, chunkJson(1, req.bodyLength));
    const data = Buffer.alloc(6 * 1024 * 1024 + 3, 7);
    const progress: number[] = [];
    const chunk = await client().appendChunk('job_1', {
      body: data,
      md5Base64: md5b64(data),
      onProgress: (sent) => progress.push(sent),
    });
    expect(chunk).toMatchObject({ id: 1, length: data.length });
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/v3/firmware-images/upload-jobs/job_1/chunks');
    expect(req?.headers['content-length']).toBe(String(data.length));
    expect(req?.headers['transfer-encoding']).toBeUndefined();
    expect(req?.headers['content-type']).toBe('binary/octet-stream');
    expect(req?.headers['content-md5']).toBe(md5b64(data));
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req?.bodySha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(progress.at(-1)).toBe(data.length);
  });

  it('a chunk given as a stream of known length goes out the same way', async () => {
    respond = (req, res) => json(res, 201, chunkJson(2, req.bodyLength));
    const parts = [Buffer.alloc(1000, 1), Buffer.alloc(24, 2)];
    const whole = Buffer.concat(parts);
    await client().appendChunk('j', {
      body: { stream: Readable.from(parts), length: 1024 },
      md5Base64: md5b64(whole),
    });
    expect(server.requests[0]?.headers['content-length']).toBe('1024');
    expect(server.requests[0]?.headers['transfer-encoding']).toBeUndefined();
    expect(server.requests[0]?.body?.equals(whole)).toBe(true);
  });

  it('completing a job: zero-length body, one Content-Length: 0, the empty MD5', async () => {
    respond = (_req, res) => json(res, 201, chunkJson(3, 0));
    const done = await client().completeUploadJob('j');
    expect(done.length).toBe(0);
    const [req] = server.requests;
    expect(req?.headers['content-length']).toBe('0');
    expect(req?.rawHeaderNames.filter((h) => h === 'content-length')).toHaveLength(1);
    expect(req?.headers['content-md5']).toBe('1B2M2Y8AsgTpgAmY7PhCfg==');
    expect(req?.headers['transfer-encoding']).toBeUndefined();
    expect(req?.bodyLength).toBe(0);
  });

  it('a small image: one multipart POST, exact length, fields and file intact', async () => {
    respond = (_req, res) => json(res, 201, imageJson);
    const bytes = Buffer.from('firmware bytes \x00\x01\x02');
    const path = join(dir, 'fw.bin');
    writeFileSync(path, bytes);
    await client().createImageSmall({
      name: 'fw "1"',
      description: 'déscription',
      encrypt: true,
      file: { path, size: bytes.length, fileName: 'fw.bin' },
    });
    const [req] = server.requests;
    expect(req?.url).toBe('/v3/firmware-images/');
    expect(req?.headers['transfer-encoding']).toBeUndefined();
    expect(Number(req?.headers['content-length'])).toBe(req?.bodyLength);
    const form = await new Response(new Uint8Array(req?.body ?? Buffer.alloc(0)), {
      headers: { 'content-type': String(req?.headers['content-type']) },
    }).formData();
    expect(form.get('name')).toBe('fw "1"');
    expect(form.get('description')).toBe('déscription');
    expect(form.get('datafile_encryption')).toBe('true');
    expect(Buffer.from(await (form.get('datafile') as Blob).arrayBuffer()).equals(bytes)).toBe(
      true,
    );
  });

  it('a stream that yields fewer bytes than announced fails with file-changed, not a network error', async () => {
    respond = (req, res) => json(res, 201, chunkJson(2, req.bodyLength));
    const err = await client()
      .appendChunk('j', {
        body: { stream: Readable.from([Buffer.alloc(10)]), length: 20 },
        md5Base64: md5b64(Buffer.alloc(20)),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FirmdropError);
    expect((err as FirmdropError).code).toBe('file-changed');
  });

  it('JSON bodies for creating and updating jobs', async () => {
    respond = (req, res) => json(res, req.method === 'POST' ? 201 : 200, jobJson);
    const dm = client();
    await dm.createUploadJob({ name: 'n', description: 'd', encrypt: false });
    await dm.updateUploadJob('job1', { description: 'new' });
    expect(
      server.requests.map((r) => [r.method, r.headers['content-type'], r.body?.toString()]),
    ).toEqual([
      ['POST', 'application/json', '{"name":"n","description":"d","datafile_encryption":false}'],
      ['PUT', 'application/json', '{"description":"new"}'],
    ]);
  });

  it('keeps connections alive across requests', async () => {
    respond = (_req, res) => json(res, 200, { data: [], has_more: false });
    const before = server.connections();
    const one = client({ connections: 1 });
    for (let i = 0; i < 10; i++) await one.listImages();
    expect(server.connections() - before).toBe(1);
    // With a pool, a request issued as the previous one completes may take a second socket.
    const pooled = client({ connections: 4 });
    for (let i = 0; i < 10; i++) await pooled.listImages();
    expect(server.connections() - before).toBeLessThanOrEqual(3);
    expect(server.requests).toHaveLength(20);
  });

  it('sends typed list queries', async () => {
    respond = (_req, res) => json(res, 200, { data: [], has_more: false, total_count: 4 });
    const dm = client();
    expect(await dm.countImages()).toBe(4);
    await dm.listUploadJobs({ status__eq: 'in_progress', complete__eq: false, order: 'DESC' });
    await dm.listChunks('j', { length__gte: 5, limit: 1000 });
    expect(server.requests.map((r) => r.url)).toEqual([
      '/v3/firmware-images/?include=total_count&limit=2',
      '/v3/firmware-images/upload-jobs?complete__eq=false&order=DESC&status__eq=in_progress',
      '/v3/firmware-images/upload-jobs/j/chunks?length__gte=5&limit=1000',
    ]);
  });
});

describe('answers the client refuses', () => {
  it('a 2xx that is not JSON is bad-response and is not retried', async () => {
    respond = (_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    const err = await client()
      .getImage('x')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FirmdropError);
    expect((err as FirmdropError).code).toBe('bad-response');
    expect(server.requests).toHaveLength(1);
  });

  it('a 2xx with a wrong shape names the field', async () => {
    respond = (_req, res) => json(res, 200, { ...jobJson, id: 5 });
    const err = (await client()
      .getUploadJob('x')
      .catch((e: unknown) => e)) as FirmdropError;
    expect(err.code).toBe('bad-response');
    expect(err.message).toContain('GET /v3/firmware-images/upload-jobs/x');
    expect(err.message).toContain('"id"');
  });

  it('refuses an empty or multi-line API key without echoing it', () => {
    expect(() => createDmClient({ baseUrl: server.url, apiKey: ' ' })).toThrow(/API key is empty/);
    let thrown: unknown;
    try {
      createDmClient({ baseUrl: server.url, apiKey: `${KEY}\r\nX: y` });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(FirmdropError);
    expect(everythingVisible(thrown)).not.toContain(KEY);
  });

  it('refuses a base URL with a query, credentials or another scheme', () => {
    for (const baseUrl of ['ftp://x', 'https://u:p@x', 'https://x/?a=1', 'not a url']) {
      expect(() => createDmClient({ baseUrl, apiKey: KEY })).toThrow(FirmdropError);
    }
  });
});

describe('the API key never leaks', () => {
  it('not from API errors, network errors, timeouts or bad responses', async () => {
    const errors: unknown[] = [];
    respond = (_req, res) =>
      json(res, 401, {
        code: 401,
        message: `bad key ${KEY}`,
        object: 'error',
        request_id: 'r',
        type: 'unauthorized',
      });
    errors.push(
      await client()
        .getMyAccount()
        .catch((e: unknown) => e),
    );
    respond = (_req, res) => res.socket?.destroy();
    errors.push(
      await client({ retry: { maxAttempts: 1 } })
        .getMyAccount()
        .catch((e: unknown) => e),
    );
    respond = () => undefined; // never answers
    errors.push(
      await client({ timeoutMs: 200, retry: { maxAttempts: 1 } })
        .getMyAccount()
        .catch((e: unknown) => e),
    );
    respond = (_req, res) => json(res, 200, { tier: 1 });
    errors.push(
      await client()
        .getMyAccount()
        .catch((e: unknown) => e),
    );

    expect(errors[0]).toBeInstanceOf(DmApiError);
    expect(errors[1]).toBeInstanceOf(DmNetworkError);
    expect(errors[2]).toBeInstanceOf(DmNetworkError);
    expect((errors[1] as DmNetworkError).code).toBe('network');
    expect((errors[2] as DmNetworkError).code).toBe('timeout');
    expect((errors[3] as FirmdropError).code).toBe('bad-response');
    for (const err of errors) expect(everythingVisible(err)).not.toContain(KEY);
  });
});

describe('logging', () => {
  // Runs last in this file: by now the client has logged successes, HTTP errors and failures.
  it('logs method, path, status and duration, and never the key', () => {
    expect(
      logLines.some((l) =>
        /^POST \/v3\/firmware-images\/upload-jobs\/j\/chunks 201 \d+ ms/.test(l),
      ),
    ).toBe(true);
    expect(
      logLines.some((l) => /^GET \/v3\/accounts\/me failed: timeout after \d+ ms/.test(l)),
    ).toBe(true);
    expect(logLines.join('\n')).not.toContain(KEY);
    expect(logLines.join('\n')).not.toMatch(/authorization|bearer/i);
  });
});
