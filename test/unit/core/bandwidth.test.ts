import { describe, expect, it } from 'vitest';
import { burstFor, emptyBucket, parseRate, takeTokens } from '../../../src-main/core/bandwidth';
import { BandwidthLimiter } from '../../../src-main/upload/rate-gate';
import { FakeClock } from '../../helpers/fake-clock';

const MiB = 1024 * 1024;

describe('bandwidth cap arithmetic (token bucket)', () => {
  it('makes the first bytes wait their turn: an empty bucket owes bytes / rate', () => {
    const { waitMs } = takeTokens(emptyBucket(0), 1 * MiB, 0, 10 * MiB, burstFor(10 * MiB));
    expect(waitMs).toBeCloseTo(100, 6);
  });

  it('refills at the rate, never beyond the burst', () => {
    const rate = 10 * MiB;
    const after = takeTokens({ tokens: 0, at: 0 }, 0, 60_000, rate, burstFor(rate));
    expect(after.bucket.tokens).toBe(burstFor(rate));
  });

  it('a clock that went back refills nothing', () => {
    const t = takeTokens({ tokens: 0, at: 1000 }, 64 * 1024, 500, MiB, burstFor(MiB));
    expect(t.bucket.at).toBe(1000);
    expect(t.waitMs).toBeCloseTo(62.5, 6);
  });

  it('holds the rate over 30 virtual seconds within 1 % (the limiter on a fake clock)', async () => {
    const clock = new FakeClock(0);
    const rate = 10 * MiB;
    const limiter = new BandwidthLimiter(clock, rate);
    let sent = 0;
    while (clock.elapsed() < 30_000) {
      await limiter.take(64 * 1024);
      sent += 64 * 1024;
    }
    const achieved = (sent * 1000) / clock.elapsed();
    expect(Math.abs(achieved / rate - 1)).toBeLessThan(0.01);
  });

  it('lets everything through at once without a cap', async () => {
    const clock = new FakeClock(0);
    const limiter = new BandwidthLimiter(clock, null);
    for (let i = 0; i < 100; i++) await limiter.take(MiB);
    expect(clock.sleeps).toEqual([]);
  });
});

describe('parseRate (--limit-rate)', () => {
  it.each([
    ['10M', 10 * MiB],
    ['500K', 500 * 1024],
    ['1g', 1024 * MiB],
    ['2.5M', 2.5 * MiB],
    ['1048576', MiB],
    ['10MiB/s', 10 * MiB],
  ])('%s is %d bytes/s', (text, bytes) => {
    expect(parseRate(text)).toBe(bytes);
  });

  it.each(['', 'fast', '10X', '-5M', '0', 'M'])('refuses %j', (text) => {
    expect(parseRate(text)).toBeNull();
  });
});
