import { describe, expect, it } from 'vitest';
import {
  assertUploadableSize,
  choosePath,
  chunkSizeProblem,
  planChunks,
} from '../../../src-main/core/chunk-plan';
import { MAX_REQUEST, MAX_SMALL_FILE, MiB, MIN_CHUNK } from '../../../src-main/core/limits';
import { catchFirmdropError } from './catch-error';

describe('chunkSizeProblem', () => {
  it.each([MIN_CHUNK, 8 * MiB, 16 * MiB, MAX_REQUEST])('accepts %d', (size) => {
    expect(chunkSizeProblem(size)).toBeNull();
  });

  it.each([
    [MIN_CHUNK - 1, 'Chunk size is 5,242,879 bytes;'], // not "5.0 MiB", which would read as valid
    [
      4 * MiB,
      'Chunk size is 4 MiB; the service needs chunks of 5 MiB to 100 MiB. Choose a size in that range.',
    ],
    [MAX_REQUEST + 1, 'Chunk size is 104,857,601 bytes;'],
    [0, 'Chunk size is 0 MiB;'],
    [-MiB, 'Chunk size is -1 MiB;'],
    [MIN_CHUNK + 0.5, 'whole number of bytes'],
    [Number.NaN, 'whole number of bytes'],
    [Number.POSITIVE_INFINITY, 'whole number of bytes'],
  ])('refuses %d, saying %j', (size, text) => {
    expect(chunkSizeProblem(size)).toContain(text);
  });
});

describe('planChunks', () => {
  it.each([
    ['one byte', 1, MIN_CHUNK, [[1, 0, 1]]],
    ['exactly one chunk', MIN_CHUNK, MIN_CHUNK, [[1, 0, MIN_CHUNK]]],
    [
      'a 1-byte tail',
      MIN_CHUNK + 1,
      MIN_CHUNK,
      [
        [1, 0, MIN_CHUNK],
        [2, MIN_CHUNK, 1],
      ],
    ],
    [
      'three even chunks',
      48 * MiB,
      16 * MiB,
      [
        [1, 0, 16 * MiB],
        [2, 16 * MiB, 16 * MiB],
        [3, 32 * MiB, 16 * MiB],
      ],
    ],
    [
      '100 MiB + 1 at the maximum',
      MAX_REQUEST + 1,
      MAX_REQUEST,
      [
        [1, 0, MAX_REQUEST],
        [2, MAX_REQUEST, 1],
      ],
    ],
    ['a file smaller than the chunk', 3 * MiB, 16 * MiB, [[1, 0, 3 * MiB]]],
  ])('%s', (_label, fileSize, chunkSize, expected) => {
    const plan = planChunks(fileSize, chunkSize);
    expect(plan.map((c) => [c.index, c.offset, c.length])).toEqual(expected);
  });

  it('cuts 250 MiB at 16 MiB into 15 full chunks and a 10 MiB tail', () => {
    const plan = planChunks(250 * MiB, 16 * MiB);
    expect(plan).toHaveLength(16);
    expect(plan.at(-1)).toEqual({ index: 16, offset: 240 * MiB, length: 10 * MiB });
  });

  // Many sizes around the boundaries: every plan must obey every rule of the service.
  const sizes = [
    1,
    2,
    MiB,
    MIN_CHUNK - 1,
    MIN_CHUNK,
    MIN_CHUNK + 1,
    99 * MiB,
    MAX_REQUEST,
    MAX_REQUEST + 7,
    1234 * MiB + 17,
  ];
  const chunkSizes = [MIN_CHUNK, MIN_CHUNK + 3, 8 * MiB, 16 * MiB, 33 * MiB + 1, MAX_REQUEST];
  it.each(sizes.flatMap((s) => chunkSizes.map((c) => [s, c] as const)))(
    'plan(%d, %d) obeys the chunk rules',
    (fileSize, chunkSize) => {
      const plan = planChunks(fileSize, chunkSize);
      let offset = 0;
      for (const [i, c] of plan.entries()) {
        expect(c.index).toBe(i + 1);
        expect(c.offset).toBe(offset);
        expect(c.length).toBeGreaterThan(0);
        expect(c.length).toBeLessThanOrEqual(MAX_REQUEST);
        if (i < plan.length - 1) expect(c.length).toBeGreaterThanOrEqual(MIN_CHUNK);
        offset += c.length;
      }
      expect(offset).toBe(fileSize);
      expect(plan).toHaveLength(Math.ceil(fileSize / chunkSize));
    },
  );

  it.each([
    ['an empty file', 0, 16 * MiB, 'file-empty', 'The file is empty (0 bytes)'],
    ['a negative size', -1, 16 * MiB, 'internal', 'not a byte count'],
    ['a fractional size', 1.5, 16 * MiB, 'internal', 'not a byte count'],
    ['a too-small chunk', 10 * MiB, 4 * MiB, 'invalid-input', 'Chunk size is 4 MiB'],
    ['a too-large chunk', 10 * MiB, 101 * MiB, 'invalid-input', 'Chunk size is 101 MiB'],
  ])('refuses %s', (_label, fileSize, chunkSize, code, text) => {
    const err = catchFirmdropError(() => planChunks(fileSize, chunkSize));
    expect(err.code).toBe(code);
    expect(err.message).toContain(text);
  });
});

describe('assertUploadableSize', () => {
  it('passes a positive byte count', () => {
    expect(() => assertUploadableSize(1)).not.toThrow();
  });
  it.each([
    [0, 'file-empty'],
    [Number.NaN, 'internal'],
    [2 ** 60, 'internal'],
  ])('%d → %s', (size, code) => {
    expect(catchFirmdropError(() => assertUploadableSize(size)).code).toBe(code);
  });
});

describe('choosePath', () => {
  it.each([
    ['small under the threshold', 1, 8 * MiB, 'small'],
    ['small at the threshold', 8 * MiB, 8 * MiB, 'small'],
    ['job one byte over', 8 * MiB + 1, 8 * MiB, 'job'],
    ['job when the threshold is 0', 1, 0, 'job'],
    ['job when the threshold is negative', 1, -5, 'job'],
    ['small at the clamped maximum', MAX_SMALL_FILE, 200 * MiB, 'small'],
    ['job past the clamped maximum', MAX_SMALL_FILE + 1, 200 * MiB, 'job'],
    [
      'job at 100 MiB even with an infinite threshold',
      MAX_REQUEST,
      Number.POSITIVE_INFINITY,
      'job',
    ],
    [
      'small just under the margin with an infinite threshold',
      MAX_SMALL_FILE - 1,
      Number.POSITIVE_INFINITY,
      'small',
    ],
    ['job for a large file', 4 * 1024 * MiB, 8 * MiB, 'job'],
  ])('%s', (_label, fileSize, threshold, path) => {
    expect(choosePath(fileSize, threshold)).toBe(path);
  });

  it.each([
    [0, 8 * MiB, 'file-empty'],
    [MiB, Number.NaN, 'invalid-input'],
  ])('refuses size %d with threshold %d (%s)', (fileSize, threshold, code) => {
    expect(catchFirmdropError(() => choosePath(fileSize, threshold)).code).toBe(code);
  });
});
