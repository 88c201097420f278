import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatSpeed,
  UNKNOWN,
} from '../../../src-main/core/format';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [1536, '1.5 KiB'],
    [MiB - 52, '1023.9 KiB'],
    [MiB - 1, '1.0 MiB'], // would print 1024.0 KiB
    [MiB, '1.0 MiB'],
    [5 * MiB, '5.0 MiB'],
    [15.34 * MiB, '15.3 MiB'],
    [100 * MiB, '100.0 MiB'],
    [GiB, '1.0 GiB'],
    [2.25 * GiB, '2.3 GiB'],
    [3 * 1024 * GiB, '3.0 TiB'],
    [-1, UNKNOWN],
    [Number.NaN, UNKNOWN],
    [Number.POSITIVE_INFINITY, UNKNOWN],
  ])('%d bytes → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatSpeed', () => {
  it.each([
    [null, UNKNOWN],
    [0, '0 B/s'],
    [512, '512 B/s'],
    [2 * MiB, '2.0 MiB/s'],
    [12.5 * MiB, '12.5 MiB/s'],
    [-5, UNKNOWN],
    [Number.NaN, UNKNOWN],
  ])('%s bytes/s → %s', (speed, text) => {
    expect(formatSpeed(speed)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [null, UNKNOWN],
    [Number.NaN, UNKNOWN],
    [-3, '0 s'],
    [0, '0 s'],
    [0.4, '0 s'],
    [45, '45 s'],
    [59.4, '59 s'],
    [59.6, '1 min 00 s'],
    [65, '1 min 05 s'],
    [3599, '59 min 59 s'],
    [3600, '1 h 00 min'],
    [3720, '1 h 02 min'],
    [3749, '1 h 02 min'],
    [7170, '2 h 00 min'], // 119.5 min rounds into the next hour, never "1 h 60 min"
    [26 * 3600 + 5 * 60, '26 h 05 min'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatPercent', () => {
  it.each([
    [0, '0%'],
    [-0.5, '0%'],
    [Number.NaN, '0%'],
    [0.004, '0%'],
    [0.29, '29%'],
    [0.5, '50%'],
    [0.999, '99%'],
    [1, '100%'],
    [1.2, '100%'],
  ])('%d → %s', (fraction, text) => {
    expect(formatPercent(fraction)).toBe(text);
  });
});

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [2005, '2,005'],
    [1234567, '1,234,567'],
    [-2000, '-2,000'],
    [12.9, '12'],
  ])('%d → %s', (n, text) => {
    expect(formatCount(n)).toBe(text);
  });
});
