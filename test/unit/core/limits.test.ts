import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hexToBase64 } from '../../../src-main/core/digest';
import {
  DEFAULT_CHUNK,
  DEFAULT_SMALL_THRESHOLD,
  DESCRIPTION_MAX,
  EMPTY_MD5_BASE64,
  EMPTY_MD5_HEX,
  FILE_NAME_MAX,
  imageQuotaForTier,
  MAX_REQUEST,
  MAX_SMALL_FILE,
  MIN_CHUNK,
  NAME_MAX,
} from '../../../src-main/core/limits';

// The constants' values are not restated here: only what must hold between them.
describe('limits', () => {
  it('keeps the defaults inside the service rules', () => {
    expect(DEFAULT_CHUNK).toBeGreaterThanOrEqual(MIN_CHUNK);
    expect(DEFAULT_CHUNK).toBeLessThanOrEqual(MAX_REQUEST);
    expect(DEFAULT_SMALL_THRESHOLD).toBeLessThanOrEqual(MAX_SMALL_FILE);
    expect(MAX_SMALL_FILE).toBeLessThan(MAX_REQUEST);
    // The envelope must fit a 2,000-character description in 4-byte UTF-8, plus headers.
    expect(MAX_REQUEST - MAX_SMALL_FILE).toBeGreaterThan(
      4 * (DESCRIPTION_MAX + NAME_MAX + FILE_NAME_MAX) + 1024,
    );
  });

  it('states the empty-body MD5 as the service expects it', () => {
    const md5 = createHash('md5').update(Buffer.alloc(0));
    expect(EMPTY_MD5_HEX).toBe(md5.copy().digest('hex'));
    expect(EMPTY_MD5_BASE64).toBe(md5.digest('base64'));
    expect(hexToBase64(EMPTY_MD5_HEX)).toBe(EMPTY_MD5_BASE64);
  });
});

describe('imageQuotaForTier', () => {
  it.each([
    ['0', 10],
    ['1', 1000],
    ['2', 1000],
  ])('tier "%s" holds %d images, without a note', (tier, limit) => {
    expect(imageQuotaForTier(tier)).toEqual({ limit });
  });

  it.each([
    ['3', 'tier "3"'],
    [' 1', 'tier " 1"'],
    ['toString', 'tier "toString"'],
    ['', 'no tier'],
    [undefined, 'no tier'],
    [null, 'no tier'],
  ])('unknown tier %j falls back to 10 images and says so', (tier, shown) => {
    const quota = imageQuotaForTier(tier);
    expect(quota.limit).toBe(10);
    expect(quota.note).toContain(shown);
    expect(quota.note).toContain('10 images');
  });
});
