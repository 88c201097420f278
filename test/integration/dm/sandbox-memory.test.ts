import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src-sandbox';
import { transpiledClient, UPLOAD_AND_MEASURE } from './child-client';
import { COM_KEY, downloadDigest, sandbox, writeRandomFile } from './sandbox-fixture';

const MiB = 1024 * 1024;
let sb: Sandbox;
const dir = mkdtempSync(join(tmpdir(), 'firmdrop-dm-memory-'));
let client: ReturnType<typeof transpiledClient>;

beforeAll(async () => {
  sb = await sandbox();
  client = transpiledClient();
  writeFileSync(join(dir, 'child.cjs'), UPLOAD_AND_MEASURE);
});
afterAll(async () => {
  await sb.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(client.dir, { recursive: true, force: true });
});

describe('streamed small upload', () => {
  it('a 60 MiB multipart upload keeps the uploading process’s RSS growth well under 60 MiB, byte-exact', async () => {
    const path = join(dir, 'sixty.bin');
    const sha = writeRandomFile(path, 60 * MiB);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(dir, 'child.cjs'), client.dir, sb.url, COM_KEY, path],
      {
        env: client.env,
      },
    );
    const result = JSON.parse(stdout) as {
      growthMiB: number;
      image: { datafile: string; datafile_checksum: string; datafile_size: number };
    };
    expect(result.image.datafile_checksum).toBe(sha);
    expect(result.image.datafile_size).toBe(60 * MiB);
    expect(await downloadDigest(result.image.datafile)).toEqual({
      status: 200,
      size: 60 * MiB,
      sha256: sha,
    });
    // Measured on this machine: ~35 MiB for 30, 60 or 99 MiB files (spent read buffers V8 has not
    // collected yet: a plateau, not a function of file size), while fetch + FormData + openAsBlob
    // grew 53, 81 and 120 MiB for the same files.
    expect(result.growthMiB).toBeLessThan(48);
  });
});
