import { describe, expect, it } from 'vitest';
import { isoFromMicros, newId, nowIso } from '../../../src-sandbox/ids';
import { TokenBucket } from '../../../src-sandbox/throttle';

describe('ids and timestamps', () => {
  it('makes 32-hex ids that sort in creation order and start with the time', () => {
    const ids = Array.from({ length: 1000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(Math.abs(parseInt(ids[0]?.slice(0, 12) ?? '', 16) - Date.now())).toBeLessThan(5000);
  });

  it('makes strictly increasing ISO timestamps with microseconds', () => {
    const stamps = Array.from({ length: 1000 }, () => nowIso());
    for (const s of stamps) expect(s).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(new Set(stamps).size).toBe(stamps.length);
    expect([...stamps].sort()).toEqual(stamps);
    expect(isoFromMicros(1_535_712_581_736_515)).toBe('2018-08-31T10:49:41.736515Z');
  });
});

describe('TokenBucket', () => {
  it('passes everything at once without a rate', async () => {
    const bucket = new TokenBucket(() => null);
    const t0 = performance.now();
    await bucket.take(1e9);
    expect(performance.now() - t0).toBeLessThan(20);
  });

  it('holds a long-run rate, with at most 50 ms of burst', async () => {
    const bucket = new TokenBucket(() => 100_000);
    const t0 = performance.now();
    for (let i = 0; i < 10; i++) await bucket.take(3_000); // 30 kB at 100 kB/s
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(240);
    expect(ms).toBeLessThan(600);
  });

  it('wakes early when its signal aborts', async () => {
    const ac = new AbortController();
    const bucket = new TokenBucket(() => 1000, ac.signal);
    setTimeout(() => ac.abort(), 30);
    const t0 = performance.now();
    await bucket.take(10_000);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
