import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'firmdrop-v8-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('V8 flags a process keeps (the CLI’s)', () => {
  it('still hold after a chunk reader has started its worker thread', async () => {
    const file = join(dir, 'f.bin');
    writeFileSync(file, Buffer.alloc(4096, 7));
    // A fresh process: the young generation of this one has long grown to its maximum.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(root, 'scripts/run-ts.mjs'),
        join(root, 'test/integration/upload/v8-flags-child.ts'),
        file,
      ],
      { cwd: root },
    );
    const { before, after } = JSON.parse(stdout) as { before: number; after: number };
    // The worker's thread reset --semi-space-growth-factor to 2 when it configured its heap; kept
    // flags are set again, so the young generation did not double under the allocations.
    expect(after).toBeLessThanOrEqual(before);
  }, 60_000);
});
