import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { Agent } from 'node:https';
import type { Readable } from 'node:stream';
import { MiB } from '../../src-main/core/limits';
import { bearer, expectStatus, type Endpoint } from './http';

const JOBS = '/v3/firmware-images/upload-jobs';
const EMPTY_MD5 = createHash('md5').update(Buffer.alloc(0)).digest('base64');

export interface WanClientInput {
  endpoint: Endpoint;
  apiKey: string;
  file: string;
  name: string;
}

export interface WanClientResult {
  seconds: number;
  chunks: number;
  imageId: string;
  datafileSize: number;
}

/**
 * manifest-tool's upload algorithm (manifest-dev-tool's Izuma/Pelion service API, files of
 * 100 MiB and more), re-implemented from its behaviour: every request is a module-level
 * `requests` call, so a NEW connection (TCP + TLS handshake, fresh slow start) each time.
 * Create the job; then read 6 MiB, MD5 it, POST it, and wait for the answer, until the read
 * comes back empty — that empty chunk is posted too and completes the job; GET the job for the
 * image id, GET the image; finally DELETE the job. Nothing overlaps; no journal, no SHA-256.
 */
export async function manifestToolUpload(input: WanClientInput): Promise<WanClientResult> {
  const CHUNK = 6 * MiB;
  const size = statSync(input.file).size;
  if (size < 100 * MiB) {
    throw new Error('manifest-tool sends files under 100 MiB in one request: use 100 MiB or more');
  }
  const ep = input.endpoint;
  const auth = bearer(input.apiKey);
  const started = performance.now();
  const job = await expectStatus(201, ep, 'POST', JOBS, {
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: input.name, datafile_encryption: false }),
  });
  const jobId = (job.json as { id: string }).id;
  const fd = openSync(input.file, 'r');
  let chunks = 0;
  try {
    for (let at = 0; ; at += CHUNK) {
      const buf = Buffer.alloc(Math.min(CHUNK, Math.max(0, size - at)));
      const n = buf.length > 0 ? readSync(fd, buf, 0, buf.length, at) : 0;
      const chunk = buf.subarray(0, n);
      await expectStatus(201, ep, 'POST', `${JOBS}/${jobId}/chunks`, {
        headers: {
          ...auth,
          'content-type': 'binary/octet-stream',
          'content-md5': createHash('md5').update(chunk).digest('base64'),
        },
        body: chunk,
      });
      if (n === 0) break;
      chunks++;
    }
  } finally {
    closeSync(fd);
  }
  const done = await expectStatus(200, ep, 'GET', `${JOBS}/${jobId}`, { headers: auth });
  const imageId = (done.json as { firmware_image_id: string }).firmware_image_id;
  const image = await expectStatus(200, ep, 'GET', `/v3/firmware-images/${imageId}`, {
    headers: auth,
  });
  await expectStatus(204, ep, 'DELETE', `${JOBS}/${jobId}`, { headers: auth });
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    chunks,
    imageId,
    datafileSize: (image.json as { datafile_size: number }).datafile_size,
  };
}

/** Chunk MD5s of a file, computed before a ceiling run's clock starts. */
export function chunkMd5s(file: string, chunkBytes: number): string[] {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(Math.min(chunkBytes, 16 * MiB));
  const out: string[] = [];
  try {
    const size = statSync(file).size;
    for (let at = 0; at < size; at += chunkBytes) {
      const hash = createHash('md5');
      const end = Math.min(size, at + chunkBytes);
      for (let p = at; p < end;) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, end - p), p);
        hash.update(buf.subarray(0, n));
        p += n;
      }
      out.push(hash.digest('base64'));
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/**
 * The ceiling: what any client of this API must do, done as fast as the link allows. One
 * kept-alive connection for every request; chunk MD5s computed before the clock starts
 * (`md5s`); each chunk streamed from the file (page cache) straight after the last answer. It
 * creates the job, sends the chunks and the completing empty chunk, and reads the job and the
 * image — nothing else (no pre-flight, no verification, no job deletion).
 */
export async function ceilingUpload(
  input: WanClientInput & { chunkBytes: number; md5s: string[] },
): Promise<WanClientResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: input.endpoint.ca });
  const ep = input.endpoint;
  const auth = bearer(input.apiKey);
  const size = statSync(input.file).size;
  try {
    const started = performance.now();
    const job = await expectStatus(201, ep, 'POST', JOBS, {
      agent,
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: input.name }),
    });
    const jobId = (job.json as { id: string }).id;
    const post = (md5: string, body: { stream: Readable; length: number } | Buffer) =>
      expectStatus(201, ep, 'POST', `${JOBS}/${jobId}/chunks`, {
        agent,
        headers: { ...auth, 'content-type': 'binary/octet-stream', 'content-md5': md5 },
        body,
      });
    let chunks = 0;
    for (let at = 0; at < size; at += input.chunkBytes) {
      const end = Math.min(size, at + input.chunkBytes);
      const stream = createReadStream(input.file, { start: at, end: end - 1, highWaterMark: MiB });
      await post(input.md5s[chunks] ?? '', { stream, length: end - at });
      chunks++;
    }
    await post(EMPTY_MD5, Buffer.alloc(0));
    const done = await expectStatus(200, ep, 'GET', `${JOBS}/${jobId}`, { agent, headers: auth });
    const imageId = (done.json as { firmware_image_id: string }).firmware_image_id;
    const image = await expectStatus(200, ep, 'GET', `/v3/firmware-images/${imageId}`, {
      agent,
      headers: auth,
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      seconds,
      chunks,
      imageId,
      datafileSize: (image.json as { datafile_size: number }).datafile_size,
    };
  } finally {
    agent.destroy();
  }
}
