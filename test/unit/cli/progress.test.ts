import { afterEach, describe, expect, it, vi } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { describe as describePhase, PhaseLog } from '../../../src-main/shells/cli/phase-log';
import { barLine, ProgressBoard } from '../../../src-main/shells/cli/progress-bar';
import { chunkText } from '../../../src-main/shells/cli/progress-text';
import { problem, snapshot } from './fixtures';

// 12 MiB in three chunks (5, 5, 2 MiB): the one after those acknowledged is on the wire.
const uploading = (acked: number, speed: number | null = 2 * MiB) => {
  const current = Math.min(3, Math.floor(acked / (5 * MiB)));
  const chunk = { current, total: 3, estimated: false, sending: current < 3 ? current + 1 : null };
  return snapshot(
    { state: 'uploading', bytesAcked: acked },
    { speed, etaSeconds: speed ? 3 : null, chunk, bytesSent: acked },
  );
};

describe('progress text', () => {
  it('names the chunk on the wire as the UI does, with "~" when n is an estimate', () => {
    expect(chunkText(uploading(0))).toBe('chunk 1 of 3');
    expect(chunkText(uploading(5 * MiB))).toBe('chunk 2 of 3');
    const adaptive = { current: 2, total: 9, estimated: true, sending: null };
    expect(chunkText(snapshot({ state: 'uploading' }, { chunk: adaptive }))).toBe('chunk 2 of ~9');
    expect(chunkText(snapshot({ path: 'small', chunkSize: null }))).toBeNull();
  });

  it('fits a bar line to the width, dropping decoration first', () => {
    expect(barLine(uploading(5 * MiB), 200)).toBe(
      'fw.bin  [##########--------------]   41%  5.0 MiB/12.0 MiB acked  2.0 MiB/s  ETA 3 s  chunk 2 of 3  uploading',
    );
    expect(barLine(uploading(5 * MiB), 100)).toBe(
      'fw.bin  [#####-------]   41%  5.0 MiB/12.0 MiB acked  2.0 MiB/s  ETA 3 s  chunk 2 of 3  uploading',
    );
    expect(barLine(uploading(5 * MiB), 88)).toBe(
      'fw.bin   41%  5.0 MiB/12.0 MiB acked  2.0 MiB/s  ETA 3 s  chunk 2 of 3  uploading',
    );
    expect(barLine(uploading(5 * MiB), 66)).toBe(
      'fw.bin   41%  5.0 MiB/12.0 MiB acked  chunk 2 of 3  uploading',
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
      '\x1b[1A\r\x1b[Jfw.bin  [########################]  100%  12.0 MiB/12.0 MiB acked  done\n',
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
      'fw.bin: uploading chunk 1 of 3',
      'fw.bin: uploading chunk 2 of 3',
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
