import { describe, expect, it } from 'vitest';
import { BatchWatch } from '../../../src-main/app/batch-watch';
import type { BatchEnded } from '../../../src-main/app/contract';

describe('BatchWatch', () => {
  function watch() {
    const ended: BatchEnded[] = [];
    return { w: new BatchWatch((e) => ended.push(e)), ended };
  }

  it('ends a batch when the last moving upload stops, counting done and failed', () => {
    const { w, ended } = watch();
    w.see('a', 'a.bin', 'uploading', null);
    w.see('b', 'b.bin', 'queued', null);
    w.see('a', 'a.bin', 'done', null);
    expect(ended).toEqual([]);
    w.see('b', 'b.bin', 'failed', 'The key was refused.');
    expect(ended).toEqual([
      {
        done: 1,
        failed: 1,
        cancelled: 0,
        title: '1 of 2 uploads failed',
        body: '“b.bin”: The key was refused.',
      },
    ]);
    // A new batch starts from nothing.
    w.see('c', 'c.bin', 'uploading', null);
    w.see('c', 'c.bin', 'done', null);
    expect(ended.at(-1)).toMatchObject({ done: 1, failed: 0, title: 'Upload finished' });
  });

  it('does not count pauses, waits for the network, or uploads it never saw moving', () => {
    const { w, ended } = watch();
    w.see('old', 'old.bin', 'done', null);
    w.see('a', 'a.bin', 'uploading', null);
    w.see('a', 'a.bin', 'waiting-network', null);
    w.see('a', 'a.bin', 'paused', null);
    expect(ended).toEqual([]);
  });
});
