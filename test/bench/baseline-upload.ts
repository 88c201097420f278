import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { bearer, expectStatus, type Endpoint } from './http';

const JOBS = '/v3/firmware-images/upload-jobs';
const EMPTY_MD5 = '1B2M2Y8AsgTpgAmY7PhCfg==';

export interface BaselineInput {
  url: string;
  apiKey: string;
  file: string;
  name: string;
  chunkBytes: number;
}

export interface BaselineResult {
  seconds: number;
  bytes: number;
  chunks: number;
  imageId: string;
  datafileSize: number;
  /** User + system CPU of this process during the upload. */
  cpuSeconds: number;
}

/**
 * How upload scripts do it today (the seed's recipe, written plainly): create the job, then for
 * each chunk read it, MD5 it, POST it on a NEW connection and wait for the answer; complete with
 * the empty chunk; fetch the job and the image. No overlap, no keep-alive, no journal, no SHA-256.
 */
export async function baselineUpload(input: BaselineInput): Promise<BaselineResult> {
  const ep: Endpoint = { base: input.url };
  const auth = bearer(input.apiKey);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const job = await expectStatus(201, ep, 'POST', `${JOBS}`, {
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: input.name }),
  });
  const jobId = (job.json as { id: string }).id;
  const chunksPath = `${JOBS}/${jobId}/chunks`;
  const fd = openSync(input.file, 'r');
  let chunks = 0;
  let bytes = 0;
  try {
    const size = fstatSync(fd).size;
    for (let at = 0; at < size; at += input.chunkBytes) {
      const buf = Buffer.alloc(Math.min(input.chunkBytes, size - at));
      readSync(fd, buf, 0, buf.length, at);
      const md5 = createHash('md5').update(buf).digest('base64');
      await expectStatus(201, ep, 'POST', chunksPath, {
        headers: { ...auth, 'content-type': 'binary/octet-stream', 'content-md5': md5 },
        body: buf,
      });
      chunks++;
      bytes += buf.length;
    }
  } finally {
    closeSync(fd);
  }
  await expectStatus(201, ep, 'POST', chunksPath, {
    headers: { ...auth, 'content-type': 'binary/octet-stream', 'content-md5': EMPTY_MD5 },
    body: Buffer.alloc(0),
  });
  const done = await expectStatus(200, ep, 'GET', `${JOBS}/${jobId}`, { headers: auth });
  const imageId = (done.json as { firmware_image_id: string }).firmware_image_id;
  const image = await expectStatus(200, ep, 'GET', `/v3/firmware-images/${imageId}/`, {
    headers: auth,
  });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const datafileSize = (image.json as { datafile_size: number }).datafile_size;
  return {
    seconds,
    bytes,
    chunks,
    imageId,
    datafileSize,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}
