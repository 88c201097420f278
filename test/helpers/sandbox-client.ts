/**
 * Small HTTP helpers for tests that talk to the sandbox (or any server with the same API) over
 * real HTTP. Bodies go through node:http with an exact Content-Length, as the chunk endpoint
 * requires (fetch would send a stream with chunked transfer encoding).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ClientRequest, IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { request } from 'node:http';

// Tests read arbitrary fields of the service's JSON; a loose type keeps assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: Json;
}

export interface HttpOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  /** Sent with an exact Content-Length unless the headers already say otherwise. */
  body?: Buffer | string;
  /** Write the body yourself (e.g. part of it, then destroy the request). */
  write?: (req: ClientRequest) => void;
}

/** One request on a fresh connection. Rejects with the socket error when the connection drops. */
export function http(url: string, opts: HttpOptions = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
    const headers: OutgoingHttpHeaders = { ...opts.headers };
    if (
      body &&
      headers['content-length'] === undefined &&
      headers['transfer-encoding'] === undefined
    ) {
      headers['content-length'] = body.length;
    }
    const req = request(url, { method: opts.method ?? 'GET', headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const buf = Buffer.concat(parts);
        let json: Json;
        try {
          json = buf.length > 0 ? JSON.parse(buf.toString('utf8')) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, json });
      });
    });
    req.on('error', reject);
    if (opts.write) opts.write(req);
    else req.end(body);
  });
}

export const md5b64 = (buf: Buffer): string => createHash('md5').update(buf).digest('base64');
export const md5hex = (buf: Buffer): string => createHash('md5').update(buf).digest('hex');
export const sha256hex = (buf: Buffer): string => createHash('sha256').update(buf).digest('hex');
export const MiB = 1024 * 1024;

export function randomData(bytes: number): Buffer {
  return randomBytes(bytes);
}

/** A JSON API call with `Authorization: Bearer <key>` (key null: no header). */
export function api(
  baseUrl: string,
  key: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpResult> {
  const headers: OutgoingHttpHeaders = key === null ? {} : { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return http(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export interface ChunkOptions {
  /** Override the Content-MD5 header; null leaves it out. */
  md5?: string | null;
  /** Override the Content-Type header; null leaves it out. */
  contentType?: string | null;
  headers?: OutgoingHttpHeaders;
  /** Send the body yourself, e.g. only part of it before destroying the request. */
  write?: (req: ClientRequest) => void;
}

/** POST one chunk with the headers the service requires. An empty buffer completes the job. */
export function postChunk(
  baseUrl: string,
  key: string,
  jobId: string,
  data: Buffer,
  opts: ChunkOptions = {},
): Promise<HttpResult> {
  const headers: OutgoingHttpHeaders = {
    authorization: `Bearer ${key}`,
    'content-length': data.length,
  };
  const md5 = opts.md5 === undefined ? md5b64(data) : opts.md5;
  if (md5 !== null) headers['content-md5'] = md5;
  const type = opts.contentType === undefined ? 'binary/octet-stream' : opts.contentType;
  if (type !== null) headers['content-type'] = type;
  return http(`${baseUrl}/v3/firmware-images/upload-jobs/${jobId}/chunks`, {
    method: 'POST',
    headers: { ...headers, ...opts.headers },
    body: data,
    write: opts.write,
  });
}

export async function createJob(
  baseUrl: string,
  key: string,
  body: { name?: string; description?: string; datafile_encryption?: boolean } = {},
): Promise<Json> {
  const res = await api(baseUrl, key, 'POST', '/v3/firmware-images/upload-jobs', body);
  if (res.status !== 201) throw new Error(`create job: ${res.status} ${res.body.toString()}`);
  return res.json;
}

/** Creates a job, posts `data` in chunks of `chunkSize`, completes it; returns the image. */
export async function uploadViaJob(
  baseUrl: string,
  key: string,
  data: Buffer,
  opts: { name?: string; chunkSize?: number; datafile_encryption?: boolean } = {},
): Promise<{ job: Json; image: Json }> {
  const job = await createJob(baseUrl, key, {
    name: opts.name ?? `job-${randomBytes(4).toString('hex')}`,
    datafile_encryption: opts.datafile_encryption,
  });
  const size = opts.chunkSize ?? 5 * MiB;
  for (let at = 0; at < data.length; at += size) {
    const res = await postChunk(baseUrl, key, job.id, data.subarray(at, at + size));
    if (res.status !== 201) throw new Error(`chunk at ${at}: ${res.status} ${res.body.toString()}`);
  }
  const done = await postChunk(baseUrl, key, job.id, Buffer.alloc(0));
  if (done.status !== 201) throw new Error(`complete: ${done.status} ${done.body.toString()}`);
  const finished = (await api(baseUrl, key, 'GET', `/v3/firmware-images/upload-jobs/${job.id}`))
    .json;
  const image = (
    await api(baseUrl, key, 'GET', `/v3/firmware-images/${finished.firmware_image_id}/`)
  ).json;
  return { job: finished, image };
}

export interface MultipartInput {
  data: Buffer;
  filename?: string;
  name?: string;
  description?: string;
  datafile_encryption?: boolean | string;
  /** Extra text fields, sent before the file. */
  fields?: Record<string, string>;
}

export function multipartBody(
  input: MultipartInput,
  boundary = `----fd${randomBytes(8).toString('hex')}`,
) {
  const text: Record<string, string> = { ...input.fields };
  if (input.name !== undefined) text.name = input.name;
  if (input.description !== undefined) text.description = input.description;
  if (input.datafile_encryption !== undefined) {
    text.datafile_encryption = String(input.datafile_encryption);
  }
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(text)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="datafile"; filename="${input.filename ?? 'firmware.bin'}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    input.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /v3/firmware-images/ as multipart/form-data with an exact Content-Length. */
export function postImage(
  baseUrl: string,
  key: string,
  input: MultipartInput,
): Promise<HttpResult> {
  const { body, contentType } = multipartBody(input);
  return http(`${baseUrl}/v3/firmware-images/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': contentType },
    body,
  });
}

/** A call to the sandbox's admin endpoints under /__sandbox/. */
export function adminCall(
  sandbox: { url: string; adminToken: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpResult> {
  return http(`${sandbox.url}/__sandbox/${path}`, {
    method,
    headers: { 'x-sandbox-admin': sandbox.adminToken, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
