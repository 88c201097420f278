import { describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { ProgressReporter } from '../../../src-main/upload/progress-reporter';
import type { UploadSnapshot } from '../../../src-main/upload/types';
import { uploadRow } from '../cli/fixtures';
import { FirmdropError } from '../../../src-main/core/errors';

describe('ProgressReporter', () => {
  it('moves the bar with bytes on the wire every second of a big chunk on a slow link; acknowledged stays the journal’s', () => {
    let now = 0;
    const seen: Array<UploadSnapshot & { at: number }> = [];
    const upload = uploadRow({ state: 'uploading', fileSize: 200 * MiB, bytesAcked: 0 });
    const r = new ProgressReporter(
      upload,
      (s) => seen.push({ ...s, at: now }),
      () => now,
    );
    r.startedChunk({ current: 1, total: 2, estimated: true });
    // A 100 MiB chunk at 256 KiB/s: 64 KiB handed to the socket every 250 ms, for 20 s.
    let sent = 0;
    for (let t = 250; t <= 20_000; t += 250) {
      now = t;
      sent += 64 * 1024;
      r.sending(sent);
    }
    const during = seen.filter((s) => s.chunk?.sending === 1);
    // In every second of the chunk the bar moved, while "acknowledged" stayed at 0.
    for (let second = 0; second < 20; second++) {
      const inIt = during.filter((s) => s.at > second * 1000 && s.at <= (second + 1) * 1000);
      expect(inIt.length).toBeGreaterThan(0);
      const first = inIt[0]!;
      const lastOne = inIt.at(-1)!;
      expect(lastOne.bytesSent).toBeGreaterThan(first.bytesSent - 1);
      expect(lastOne.bytesSent).toBeGreaterThan(second * 256 * 1024 - 1);
      expect(lastOne.bytesAcked).toBe(0);
    }
    expect(during.at(-1)?.bytesSent).toBe(sent);
    expect(during.at(-1)?.speed).toBeGreaterThan(0);

    r.acknowledged(100 * MiB, { current: 1, total: 2, estimated: true });
    expect(seen.at(-1)).toMatchObject({
      bytesAcked: 100 * MiB,
      bytesSent: 100 * MiB,
      chunk: { current: 1, total: 2, estimated: true, sending: null },
    });
  });

  it('a failed request’s bytes fall back to what the server acknowledged', () => {
    let now = 0;
    const seen: UploadSnapshot[] = [];
    const r = new ProgressReporter(
      uploadRow({ fileSize: 50 * MiB }),
      (s) => seen.push(s),
      () => now,
    );
    r.startedChunk({ current: 1, total: 5, estimated: false });
    now = 1000;
    r.sending(4 * MiB);
    expect(seen.at(-1)?.bytesSent).toBe(4 * MiB);
    r.setProblem(new FirmdropError('server-error', 'The service is busy.'), 2000);
    expect(seen.at(-1)?.bytesSent).toBe(0);
  });

  it('a pause drops the aborted request’s bytes from the bar at once', () => {
    let now = 0;
    const seen: UploadSnapshot[] = [];
    const row = uploadRow({ state: 'uploading', fileSize: 20 * MiB, bytesAcked: 5 * MiB });
    const r = new ProgressReporter(
      row,
      (s) => seen.push(s),
      () => now,
    );
    r.startedChunk({ current: 2, total: 4, estimated: false });
    now = 500;
    r.sending(3 * MiB);
    expect(seen.at(-1)?.bytesSent).toBe(8 * MiB);
    r.update({ ...row, state: 'paused' });
    expect(seen.at(-1)).toMatchObject({ phase: 'paused', bytesSent: 5 * MiB, bytesAcked: 5 * MiB });
  });
});
