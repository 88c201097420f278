import { afterEach, describe, expect, it, vi } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { describe as describePhase, PhaseLog } from '../../../src-main/shells/cli/phase-log';
import { barLine, ProgressBoard } from '../../../src-main/shells/cli/progress-bar';
import { chunkInfo } from '../../../src-main/shells/cli/progress-text';
import { problem, snapshot } from './fixtures';

const uploading = (acked: number, speed: number | null = 2 * MiB) =>
  snapshot({ state: 'uploading', bytesAcked: acked }, { speed, etaSeconds: speed ? 3 : null });

describe('progress text', () => {
  it('counts the chunk in flight from the bytes acknowledged', () => {
    expect(chunkInfo(uploading(0))).toEqual({ current: 1, total: 3 });
    expect(chunkInfo(uploading(5 * MiB))).toEqual({ current: 2, total: 3 });
    expect(chunkInfo(uploading(12 * MiB))).toEqual({ current: 3, total: 3 });
    expect(chunkInfo(snapshot({ path: 'small', chunkSize: null }))).toBeNull();
  });

  it('fits a bar line to the width, dropping decoration first', () => {
    expect(barLine(uploading(5 * MiB), 200)).toBe(
      'fw.bin  [##########--------------]   41%  5.0 MiB/12.0 MiB  2.0 MiB/s  ETA 3 s  chunk 2/3  uploading',
    );
    expect(barLine(uploading(5 * MiB), 90)).toBe(
      'fw.bin  [#####-------]   41%  5.0 MiB/12.0 MiB  2.0 MiB/s  ETA 3 s  chunk 2/3  uploading',
    );
    expect(barLine(uploading(5 * MiB), 80)).toBe(
      'fw.bin   41%  5.0 MiB/12.0 MiB  2.0 MiB/s  ETA 3 s  chunk 2/3  uploading',
    );
    expect(barLine(uploading(5 * MiB), 60)).toBe(
      'fw.bin   41%  5.0 MiB/12.0 MiB  chunk 2/3  uploading',
    );
    expect(barLine(uploading(5 * MiB), 30)).toBe('fw.bin  41%  uploading');
    expect(barLine(uploading(5 * MiB), 20)).toBe('fw.bin  41%  upload…');
    // Before the first measurement there is no speed to show.
    expect(barLine(uploading(0, null), 200)).not.toContain('ETA');
  });
});

describe('ProgressBoard', () => {
  afterEach(() => vi.useRealTimers());

  it('redraws at most every 250 ms, in place, and leaves finished uploads as permanent lines', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    const board = new ProgressBoard({ write: (s) => writes.push(s) > 0, columns: 120 }, () =>
      Date.now(),
    );
    board.update(uploading(0));
    expect(writes).toHaveLength(1);
    for (let i = 1; i <= 10; i++) {
      vi.advanceTimersByTime(10);
      board.update(uploading(i * 1000));
    }
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(250);
    expect(writes).toHaveLength(2);
    expect(writes[1]?.startsWith('\x1b[1A\r\x1b[J')).toBe(true);
    expect(writes[1]?.endsWith('uploading\n')).toBe(true);
    board.update(snapshot({ state: 'done', bytesAcked: 12 * MiB, verified: true }));
    expect(writes[2]).toBe(
      '\x1b[1A\r\x1b[Jfw.bin  [########################]  100%  12.0 MiB/12.0 MiB  chunk 3/3  done\n',
    );
    board.close();
    expect(writes.at(-1)).toBe('\r\x1b[J');
  });
});

describe('PhaseLog', () => {
  it('writes one line per phase and per chunk, and each new problem once', () => {
    const lines: string[] = [];
    const log = new PhaseLog((l) => lines.push(l));
    log.update(snapshot({ state: 'checking' }));
    log.update(uploading(0));
    log.update(uploading(0));
    log.update(uploading(5 * MiB));
    const busy = problem('The service is busy.');
    log.update(snapshot({ state: 'checking' }, { problem: busy }));
    log.update(snapshot({ state: 'checking' }, { problem: busy }));
    log.notice('3f2a6c1e-0000-4000-8000-000000000001', 'The job was restarted.');
    log.update(snapshot({ state: 'done', verified: true, imageId: 'img1' }));
    expect(lines).toEqual([
      'fw.bin: checking',
      'fw.bin: uploading chunk 1/3',
      'fw.bin: uploading chunk 2/3',
      'fw.bin: The service is busy. (retrying by itself)',
      'fw.bin: checking',
      'fw.bin: The job was restarted.',
      'fw.bin: done, verified (image img1)',
    ]);
    expect(
      describePhase(
        snapshot({ state: 'uploading', path: 'small', chunkSize: null, fileSize: 2048 }),
      ),
    ).toBe('uploading 2.0 KiB in one request');
    expect(describePhase(snapshot({ state: 'waiting-network' }))).toBe('waiting for network');
  });
});
