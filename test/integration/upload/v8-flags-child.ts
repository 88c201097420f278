/**
 * Child of v8-flags.test.ts, run in a fresh process by scripts/run-ts.mjs: keeps
 * --semi-space-growth-factor=1, starts a chunk reader (a worker thread), then allocates objects
 * that survive a few scavenges, which makes V8 double the young generation unless the flag still
 * holds. Prints the new space's size before and after as JSON.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { openChunkReader } from '../../../src-main/upload/chunk-reader';
import { keepV8Flags } from '../../../src-main/upload/v8-flags';

const newSpace = () =>
  getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? NaN;

export default async function main([path = '']: string[]): Promise<number> {
  keepV8Flags(['--semi-space-growth-factor=1']);
  const before = newSpace();
  const reader = openChunkReader(path, { sha256: false });
  // Answered once the worker runs, which is after it configured its heap.
  await reader.hash(0, 1024);
  let kept: object[] = [];
  for (let round = 0; round < 60; round++) {
    for (let i = 0; i < 20_000; i++) kept.push({ i, list: [i] });
    if (kept.length > 400_000) kept = kept.slice(200_000);
  }
  await reader.close();
  process.stdout.write(JSON.stringify({ before, after: newSpace(), kept: kept.length }));
  return 0;
}
