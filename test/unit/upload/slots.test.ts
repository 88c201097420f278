import { describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { MOST_AT_ONCE, mayStart, mayStartOnHost, slotShare } from '../../../src-main/upload/slots';

const file = (size: number, chunkSize = 16 * MiB) => ({ size, chunkSize });
const many = (n: number, size: number) => Array.from({ length: n }, () => file(size));

describe('slots: how many uploads move at once', () => {
  it.each([
    [file(64 * MiB), 1],
    [file(16 * MiB), 1],
    [file(8 * MiB), 0.5],
    [file(1 * MiB), 1 / 8],
    [file(10), 1 / 8],
    [file(1 * MiB, 0), 1],
  ])('share of %o is %d', (need, share) => {
    expect(slotShare(need)).toBeCloseTo(share, 10);
  });

  it('big files keep to the setting', () => {
    expect(mayStart(many(1, 64 * MiB), file(64 * MiB), 2)).toBe(true);
    expect(mayStart(many(2, 64 * MiB), file(64 * MiB), 2)).toBe(false);
  });

  it('small files share a slot: eight of 1 MiB per slot', () => {
    expect(mayStart(many(15, 1 * MiB), file(1 * MiB), 2)).toBe(true);
    expect(mayStart(many(16, 1 * MiB), file(1 * MiB), 4)).toBe(false); // MOST_AT_ONCE
    expect(mayStart(many(7, 1 * MiB), file(1 * MiB), 1)).toBe(true);
    expect(mayStart(many(8, 1 * MiB), file(1 * MiB), 1)).toBe(false);
  });

  it('a big file waits for a full slot beside small ones', () => {
    expect(mayStart(many(4, 1 * MiB), file(64 * MiB), 1)).toBe(false);
    expect(mayStart([file(64 * MiB), ...many(7, 1 * MiB)], file(1 * MiB), 2)).toBe(true);
  });

  it('one upload always runs, however large or small the setting', () => {
    expect(mayStart([], file(64 * MiB), 0)).toBe(true);
    expect(MOST_AT_ONCE).toBe(16);
  });
});

describe('mayStartOnHost: fan-out targets on other hosts go in parallel', () => {
  const on = (host: string, fanOut: boolean) => ({ ...file(64 * MiB), host, fanOut });

  it('a target counts only against uploads to its own host', () => {
    expect(mayStartOnHost([on('us', true)], on('eu', true), 1)).toBe(true);
    expect(mayStartOnHost([on('us', true), on('eu', true)], on('jp', true), 1)).toBe(true);
  });

  it('on one host, targets keep to filesAtOnce', () => {
    expect(mayStartOnHost([on('us', true)], on('us', true), 1)).toBe(false);
    expect(mayStartOnHost([on('us', false)], on('us', true), 1)).toBe(false);
    expect(mayStartOnHost([on('us', true)], on('us', true), 2)).toBe(true);
  });

  it('any other upload counts against everything running, as before', () => {
    expect(mayStartOnHost([on('us', true)], on('eu', false), 1)).toBe(false);
    expect(mayStartOnHost([on('us', true)], on('eu', false), 2)).toBe(true);
  });
});
