import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { bearer, expectStatus, type Endpoint } from './http';
import { collect, spawnTracked, waitExit } from './procs';

const JOBS = '/v3/firmware-images/upload-jobs';
const EMPTY_MD5 = '1B2M2Y8AsgTpgAmY7PhCfg==';

export interface SplitChunks {
  paths: string[];
  md5s: string[];
  bytes: number;
}

/** Splits the file into chunk files with their MD5s, before the clock starts. */
export function splitFile(file: string, chunkBytes: number, dir: string): SplitChunks {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(chunkBytes);
  const out: SplitChunks = { paths: [], md5s: [], bytes: 0 };
  try {
    for (let at = 0; ; at += chunkBytes) {
      const n = readSync(fd, buf, 0, chunkBytes, at);
      if (n === 0) break;
      const part = buf.subarray(0, n);
      const path = join(dir, `chunk-${out.paths.length + 1}.bin`);
      const chunkFd = openSync(path, 'w');
      try {
        writeSync(chunkFd, part);
        fsyncSync(chunkFd); // as makeDataFile: no writeback during the measurement
      } finally {
        closeSync(chunkFd);
      }
      out.paths.push(path);
      out.md5s.push(createHash('md5').update(part).digest('base64'));
      out.bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

export interface CurlResult {
  seconds: number;
  bytes: number;
  chunks: number;
  /** New connections curl opened for all the POSTs (1 means one keep-alive connection). */
  connects: number;
  imageId: string;
}

const quoted = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The HTTP ceiling: curl POSTs the pre-split chunks one after another over one connection (one
 * invocation, `next` between requests), then the completing empty chunk. `Expect:` is blanked so
 * curl does not wait for a 100-continue before each body. The key goes in a config file, not argv.
 */
export async function curlCeiling(input: {
  url: string;
  apiKey: string;
  name: string;
  chunks: SplitChunks;
  scratchDir: string;
}): Promise<CurlResult> {
  const ep: Endpoint = { base: input.url };
  const auth = bearer(input.apiKey);
  const started = performance.now();
  const job = await expectStatus(201, ep, 'POST', JOBS, {
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: input.name }),
  });
  const jobId = (job.json as { id: string }).id;
  const chunksUrl = `${input.url}${JOBS}/${jobId}/chunks`;
  const section = (md5: string, data: string): string[] => [
    `url = ${quoted(chunksUrl)}`,
    `header = ${quoted(`Authorization: Bearer ${input.apiKey}`)}`,
    `header = "Content-Type: binary/octet-stream"`,
    `header = ${quoted(`Content-MD5: ${md5}`)}`,
    `header = "Expect:"`,
    `data-binary = ${quoted(data)}`,
    `output = "/dev/null"`,
    `write-out = "%{http_code} %{num_connects}\\n"`,
  ];
  const sections = input.chunks.paths.map((p, i) => section(input.chunks.md5s[i] ?? '', `@${p}`));
  sections.push(section(EMPTY_MD5, ''));
  const config = join(input.scratchDir, `curl-${process.hrtime.bigint()}.conf`);
  writeFileSync(
    config,
    ['silent', 'show-error', sections.map((s) => s.join('\n')).join('\nnext\n')].join('\n') + '\n',
    { mode: 0o600 },
  );
  const child = spawnTracked('curl', ['-K', config]);
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const exit = await waitExit(child);
  const answers = stdout()
    .trim()
    .split('\n')
    .map((l) => l.split(' ').map(Number));
  const bad = answers.findIndex(([status]) => status !== 201);
  if (exit.code !== 0 || bad !== -1 || answers.length !== sections.length) {
    throw new Error(
      `curl exited ${exit.code} with answers ${JSON.stringify(answers.slice(0, 5))}…: ${stderr()}`,
    );
  }
  const done = await expectStatus(200, ep, 'GET', `${JOBS}/${jobId}`, { headers: auth });
  const imageId = (done.json as { firmware_image_id: string }).firmware_image_id;
  await expectStatus(200, ep, 'GET', `/v3/firmware-images/${imageId}/`, { headers: auth });
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    bytes: input.chunks.bytes,
    chunks: input.chunks.paths.length,
    connects: answers.reduce((n, a) => n + (a[1] ?? 0), 0),
    imageId,
  };
}
