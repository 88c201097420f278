import { describe, expect, it } from 'vitest';
import { earlyKey, offerEarly, takeEarly } from '../../../src-main/dm/early-answers';

describe('answers fetched ahead (early-answers)', () => {
  it('goes to one taker only, and only for the same key and URL', async () => {
    const key = earlyKey('ak_one', 'https://h/v3/firmware-images/?limit=2');
    offerEarly(key, Promise.resolve('answer'), 1_000);
    expect(takeEarly(earlyKey('ak_two', 'https://h/v3/firmware-images/?limit=2'), 1_001)).toBe(
      null,
    );
    await expect(takeEarly(key, 1_001)).resolves.toBe('answer');
    expect(takeEarly(key, 1_002)).toBeNull();
  });

  it('is not kept past its time, and a failed one is dropped for the taker to ask again', async () => {
    const stale = earlyKey('ak', 'https://h/stale');
    offerEarly(stale, Promise.resolve('old'), 0);
    expect(takeEarly(stale, 10_001)).toBeNull();
    const failed = earlyKey('ak', 'https://h/failed');
    const refused = Promise.reject(new Error('reset'));
    offerEarly(failed, refused, 0);
    await refused.catch(() => undefined);
    expect(takeEarly(failed, 1)).toBeNull();
  });

  it('never holds the key itself', () => {
    expect(earlyKey('ak_secret_123', 'https://h/x')).not.toContain('ak_secret_123');
  });
});
