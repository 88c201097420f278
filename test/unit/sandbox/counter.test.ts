import { describe, expect, it } from 'vitest';
import { Counter } from '../../../src-sandbox/counter';

describe('sandbox Counter', () => {
  it('resolves each wait once its value is reached, and not before', async () => {
    const c = new Counter();
    const reached: number[] = [];
    const at5 = c.whenAt(5).then(() => reached.push(5));
    const at3 = c.whenAt(3).then(() => reached.push(3));
    c.add(2);
    await Promise.resolve();
    expect(reached).toEqual([]);
    c.add(1); // exactly 3; short of 5
    await at3;
    expect(reached).toEqual([3]);
    c.add(10);
    await at5;
    expect(reached).toEqual([3, 5]);
    expect(c.value).toBe(13);
  });

  it('resolves at once for a value already reached', async () => {
    const c = new Counter();
    c.add(7);
    await expect(c.whenAt(7)).resolves.toBeUndefined();
  });
});
