import { describe, expect, it } from 'vitest';
import {
  ADAPTIVE_START,
  chunkAt,
  chunkCountEstimate,
  nextChunkSize,
} from '../../../src-main/core/chunk-plan';
import { MiB } from '../../../src-main/core/limits';

const size = (
  current: number | null,
  wireRate: number | null,
  idleMs: number | null,
  failures = 0,
) => nextChunkSize({ current, wireRate, idleMs, failures });

describe('adaptive chunk size (nextChunkSize)', () => {
  it('starts at the service minimum, so the first byte goes out soon', () => {
    expect(ADAPTIVE_START).toBe(5 * MiB);
    expect(size(null, null, null)).toBe(5 * MiB);
  });

  it.each([
    // label, current, rate, idle, expected
    ['grows at most 4× per chunk on a long fat link', 5 * MiB, 40 * MiB, 100, 20 * MiB],
    [
      'reaches the 100 MiB cap when 49 idle round trips ask for more',
      64 * MiB,
      40 * MiB,
      100,
      100 * MiB,
    ],
    [
      'grows to the size where the idle round trip is 2 % (40 MiB/s × 20 ms → 39.2 MiB)',
      16 * MiB,
      40 * MiB,
      20,
      40 * MiB,
    ],
    ['keeps its size once the idle share is under 2 %', 40 * MiB, 40 * MiB, 20, 40 * MiB],
    ['never shrinks on a good link (loopback: no idle time)', 32 * MiB, 500 * MiB, 0, 32 * MiB],
    ['stays small on a slow link with a short round trip', 5 * MiB, 1 * MiB, 50, 5 * MiB],
    [
      'comes down to 30 s of a slow link, so a failure resends at most that (1 MiB/s, 300 ms)',
      80 * MiB,
      1 * MiB,
      300,
      30 * MiB,
    ],
    [
      'grows no further than 30 s of the link, however long the round trip (1 MiB/s, 2 s)',
      20 * MiB,
      1 * MiB,
      2000,
      30 * MiB,
    ],
  ])('%s', (_label, current, rate, idle, expected) => {
    expect(size(current, rate, idle)).toBe(expected);
  });

  it('halves per failure in a row, never below 5 MiB, whatever the link says', () => {
    expect(size(64 * MiB, 40 * MiB, 100, 1)).toBe(32 * MiB);
    expect(size(64 * MiB, 40 * MiB, 100, 2)).toBe(16 * MiB);
    expect(size(64 * MiB, null, null, 5)).toBe(5 * MiB);
  });

  it('grows the second chunk 4× before anything was measured (it is planned while the first is hashed)', () => {
    const blind = (current: number, planned: number, failures = 0) =>
      nextChunkSize({ current, wireRate: null, idleMs: null, failures, planned });
    expect(blind(5 * MiB, 1)).toBe(20 * MiB);
    // Only the second: a later plan with nothing measured keeps its size, as does a caller that
    // does not say how many it planned; a failure still halves.
    expect(blind(20 * MiB, 2)).toBe(20 * MiB);
    expect(size(5 * MiB, null, null)).toBe(5 * MiB);
    expect(blind(40 * MiB, 1, 1)).toBe(20 * MiB);
    expect(blind(40 * MiB, 1)).toBe(100 * MiB);
  });

  it('keeps the size when nothing was measured, in whole MiB within 5–100 MiB', () => {
    expect(size(24 * MiB, null, null)).toBe(24 * MiB);
    expect(size(24 * MiB, 0, 100)).toBe(24 * MiB);
    expect(size(24 * MiB + 1, null, null)).toBe(25 * MiB);
    expect(size(500 * MiB, null, null)).toBe(100 * MiB);
  });
});

describe('variable chunks', () => {
  it('cuts the last chunk to what is left (it may be any size)', () => {
    expect(chunkAt(0, 12 * MiB, 5 * MiB)).toBe(5 * MiB);
    expect(chunkAt(10 * MiB, 12 * MiB, 20 * MiB)).toBe(2 * MiB);
    expect(chunkAt(12 * MiB, 12 * MiB, 5 * MiB)).toBe(0);
  });

  it('estimates n from the chunks so far and the size planned next', () => {
    // Chunk 3 ends at 30 MiB of 100; the rest at 20 MiB makes 4 more.
    expect(
      chunkCountEstimate({ index: 3, offset: 10 * MiB, length: 20 * MiB }, 100 * MiB, 20 * MiB),
    ).toBe(7);
    expect(
      chunkCountEstimate({ index: 7, offset: 90 * MiB, length: 10 * MiB }, 100 * MiB, 20 * MiB),
    ).toBe(7);
  });
});
