import { describe, expect, it } from 'vitest';
import { RateGate } from '../../../src-main/upload/rate-gate';
import { FakeClock } from '../../helpers/fake-clock';

describe('FakeClock', () => {
  it('sleep moves virtual time forward at once and records what was asked', async () => {
    const clock = new FakeClock(1_000_000);
    const t0 = performance.now();
    await clock.sleep(30_000);
    await clock.sleep(1500);
    await clock.sleep(0);
    expect(clock.now()).toBe(1_031_500);
    expect(clock.elapsed()).toBe(31_500);
    expect(clock.sleeps).toEqual([30_000, 1500, 0]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('overlapping sleeps end at their own deadlines, they do not add up', async () => {
    const clock = new FakeClock(0);
    await Promise.all([clock.sleep(1000), clock.sleep(4000), clock.sleep(2000)]);
    expect(clock.now()).toBe(4000);
  });

  it('does not resolve in the same tick: time moves only when the event loop turns', async () => {
    const clock = new FakeClock(0);
    let done = false;
    void clock.sleep(500).then(() => (done = true));
    await Promise.resolve();
    expect([done, clock.now()]).toEqual([false, 0]);
    await new Promise((r) => setImmediate(r));
    await Promise.resolve();
    expect([done, clock.now()]).toEqual([true, 500]);
  });

  it('an aborted signal rejects with its reason, before or during the sleep, and time stays', async () => {
    const clock = new FakeClock(0);
    const before = AbortSignal.abort(new Error('gone'));
    await expect(clock.sleep(100, before)).rejects.toThrow('gone');
    const c = new AbortController();
    const p = clock.sleep(5000, c.signal);
    c.abort(new Error('paused'));
    await expect(p).rejects.toThrow('paused');
    await new Promise((r) => setImmediate(r));
    expect(clock.now()).toBe(0);
  });

  it('every() fires once per period that virtual time passes, until disposed', async () => {
    const clock = new FakeClock(0);
    const beats: number[] = [];
    const ticker = clock.every(10_000, () => beats.push(clock.now()));
    await clock.sleep(9_999);
    expect(beats).toEqual([]);
    await clock.sleep(25_000);
    expect(beats).toEqual([34_999, 34_999, 34_999]);
    ticker.dispose();
    clock.advance(60_000);
    expect(beats).toHaveLength(3);
  });

  it('hold() keeps sleeps waiting until release()', async () => {
    const clock = new FakeClock(0);
    clock.hold();
    let done = false;
    const p = clock.sleep(2000).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect([done, clock.heldCount, clock.now()]).toEqual([false, 1, 0]);
    clock.release();
    await p;
    expect([done, clock.heldCount, clock.now()]).toEqual([true, 0, 2000]);
  });

  it("drives the engine's own timed parts (a rate gate closed for 30 s) without waiting", async () => {
    const clock = new FakeClock(0);
    const gate = new RateGate(clock);
    gate.backoff(30);
    await gate.wait();
    expect([clock.sleeps, gate.remainingMs()]).toEqual([[30_000], 0]);
  });
});
