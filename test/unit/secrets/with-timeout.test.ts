import { describe, expect, it } from 'vitest';
import { withTimeout } from '../../../src-main/secrets';

const never = new Promise<string>(() => {});

describe('withTimeout', () => {
  it('passes a value through and clears its timer', async () => {
    await expect(withTimeout(Promise.resolve('v'), 1000, () => new Error('late'))).resolves.toBe(
      'v',
    );
  });

  it('passes a rejection through unchanged', async () => {
    const boom = new Error('boom');
    await expect(withTimeout(Promise.reject(boom), 1000, () => new Error('late'))).rejects.toBe(
      boom,
    );
  });

  it('rejects with the timeout error when the promise never settles', async () => {
    const started = Date.now();
    await expect(withTimeout(never, 50, () => new Error('no answer'))).rejects.toThrow('no answer');
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('a settlement after the deadline changes nothing', async () => {
    let resolve: (v: string) => void = () => {};
    const late = new Promise<string>((r) => (resolve = r));
    const result = withTimeout(late, 20, () => new Error('timed out'));
    await expect(result).rejects.toThrow('timed out');
    resolve('too late');
    await expect(result).rejects.toThrow('timed out');
  });
});
