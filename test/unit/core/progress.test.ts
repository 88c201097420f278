import { describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { ProgressMeter, shouldEmit } from '../../../src-main/core/progress';

const CHUNK = 16 * MiB;

/** Feeds acknowledgements of `chunk` bytes every `everyMs`, from t0, n times; returns the last time. */
function feedAcks(
  meter: ProgressMeter,
  opts: { t0: number; chunk: number; everyMs: number; n: number; b0?: number },
): number {
  let t = opts.t0;
  let b = opts.b0 ?? 0;
  for (let i = 0; i < opts.n; i += 1) {
    t += opts.everyMs;
    b += opts.chunk;
    meter.sample(b, t);
  }
  return t;
}

/** Speeds read every `stepMs` in [from, to]. */
function readings(meter: ProgressMeter, from: number, to: number, stepMs = 250): number[] {
  const out: number[] = [];
  for (let t = from; t <= to; t += stepMs) out.push(meter.speed(t) ?? Number.NaN);
  return out;
}

describe('ProgressMeter', () => {
  it('knows nothing before it has two samples spanning a second', () => {
    const meter = new ProgressMeter(100 * MiB);
    expect(meter.speed(0)).toBeNull();
    meter.sample(0, 0);
    expect(meter.snapshot(0)).toEqual({
      bytes: 0,
      totalBytes: 100 * MiB,
      fraction: 0,
      speed: null,
      etaSeconds: null,
    });
    meter.sample(MiB, 500);
    expect(meter.speed(500)).toBeNull(); // a first burst says nothing
    meter.sample(2 * MiB, 1000);
    expect(meter.speed(1000)).toBeCloseTo(2 * MiB, -1);
  });

  it('reads 16 MiB acknowledgements every 8 s as a steady 2 MiB/s, between acks too', () => {
    const meter = new ProgressMeter(100 * CHUNK);
    meter.sample(0, 0);
    const end = feedAcks(meter, { t0: 0, chunk: CHUNK, everyMs: 8000, n: 2 });
    // Read between acks, as the UI does, while more acks arrive.
    const values: number[] = [];
    for (let t = end; t < end + 120_000; t += 8000) {
      values.push(...readings(meter, t, t + 7750));
      meter.sample(meter.snapshot(t).bytes + CHUNK, t + 8000);
    }
    for (const v of values) expect(v / (2 * MiB)).toBeCloseTo(1, 3);
  });

  it('stays steady when the same acknowledged count is sampled between acks', () => {
    const meter = new ProgressMeter(1000 * CHUNK);
    const speeds: number[] = [];
    for (let t = 0; t <= 200_000; t += 250) {
      meter.sample(Math.floor(t / 8000) * CHUNK, t); // a tick every 250 ms, an ack every 8 s
      if (t >= 24_000) speeds.push(meter.speed(t) ?? 0);
    }
    for (const v of speeds) expect(Math.abs(v / (2 * MiB) - 1)).toBeLessThan(0.01);
  });

  it('stays within 5% on bursty byte-level progress', () => {
    const meter = new ProgressMeter(10_000 * MiB);
    // 4 MiB/s on average, delivered as 0, 0.8, 0, 0.4 MiB… every 100 ms (socket buffers).
    const pattern = [0, 0.8, 0, 0.4, 0.6, 0, 0.2, 1.2, 0, 0.8];
    let b = 0;
    meter.sample(0, 0);
    const speeds: number[] = [];
    for (let i = 1; i <= 600; i += 1) {
      b += (pattern[i % pattern.length] ?? 0) * MiB;
      meter.sample(b, i * 100);
      if (i * 100 >= 20_000) speeds.push(meter.speed(i * 100) ?? 0);
    }
    for (const v of speeds) expect(Math.abs(v / (4 * MiB) - 1)).toBeLessThan(0.05);
  });

  it('follows a real change of speed, smoothly rather than at once', () => {
    const meter = new ProgressMeter(1000 * CHUNK);
    meter.sample(0, 0);
    let t = feedAcks(meter, { t0: 0, chunk: CHUNK, everyMs: 8000, n: 10 }); // 2 MiB/s
    const before = meter.speed(t) ?? 0;
    t = feedAcks(meter, { t0: t, chunk: CHUNK, everyMs: 4000, n: 1, b0: 10 * CHUNK }); // now 4 MiB/s
    const first = meter.speed(t) ?? 0;
    t = feedAcks(meter, { t0: t, chunk: CHUNK, everyMs: 4000, n: 10, b0: 11 * CHUNK });
    const settled = meter.speed(t) ?? 0;
    expect(before / (2 * MiB)).toBeCloseTo(1, 3);
    expect(first).toBeGreaterThan(before);
    expect(first).toBeLessThan(3 * MiB); // one fast chunk does not double the reading
    expect(settled / (4 * MiB)).toBeCloseTo(1, 2);
  });

  it('blends a sudden window rate in by time: one early ack moves the speed a little', () => {
    const meter = new ProgressMeter(100 * CHUNK);
    meter.sample(0, 0);
    const t = feedAcks(meter, { t0: 0, chunk: CHUNK, everyMs: 8000, n: 5 }); // 2 MiB/s
    meter.sample(6 * CHUNK, t + 1000); // the next ack only 1 s later
    // The 20 s window alone now reads 2.7 MiB/s; 1 s against a 5 s time constant moves ~18% of that.
    const speed = (meter.speed(t + 1000) ?? 0) / MiB;
    expect(speed).toBeGreaterThan(2.05);
    expect(speed).toBeLessThan(2.2);
  });

  it('lets the speed fall and the ETA grow while nothing arrives', () => {
    const meter = new ProgressMeter(100 * CHUNK);
    meter.sample(0, 0);
    const t = feedAcks(meter, { t0: 0, chunk: CHUNK, everyMs: 8000, n: 5 });
    const steady = meter.speed(t) ?? 0;
    expect(meter.speed(t + 15_000)).toBe(steady); // within twice the usual 8 s gap: still steady
    const later = [20_000, 40_000, 80_000, 160_000].map((d) => meter.speed(t + d) ?? 0);
    for (let i = 1; i < later.length; i += 1) expect(later[i]).toBeLessThan(later[i - 1] ?? 0);
    expect(later[0]).toBeLessThan(steady);
    expect(later[3]).toBeLessThan(steady / 5);
    expect(meter.etaSeconds(t + 160_000)).toBeGreaterThan(meter.etaSeconds(t + 10_000) ?? Infinity);
  });

  it('computes the ETA from the remaining bytes, rounded up, and 0 when done', () => {
    const meter = new ProgressMeter(10 * MiB);
    meter.sample(0, 0);
    meter.sample(3 * MiB, 3000); // 1 MiB/s, 7 MiB left
    expect(meter.etaSeconds(3000)).toBe(7);
    meter.sample(9.5 * MiB, 9500);
    expect(meter.etaSeconds(9500)).toBe(1); // 0.5 s rounds up
    meter.sample(10 * MiB, 10_000);
    expect(meter.snapshot(10_000)).toMatchObject({ fraction: 1, etaSeconds: 0 });
  });

  it('gives a null ETA when the speed is 0', () => {
    const meter = new ProgressMeter(10 * MiB);
    meter.sample(0, 0);
    expect(meter.etaSeconds(5000)).toBeNull();
  });

  it('starts the window again when the byte count drops, keeping the speed it knew', () => {
    const meter = new ProgressMeter(100 * CHUNK);
    meter.sample(0, 0);
    const t = feedAcks(meter, { t0: 0, chunk: CHUNK, everyMs: 8000, n: 4 });
    meter.sample(2 * CHUNK, t + 1000); // a reconcile found chunk 3 and 4 missing
    expect(meter.snapshot(t + 1000).bytes).toBe(2 * CHUNK);
    expect((meter.speed(t + 1000) ?? 0) / (2 * MiB)).toBeCloseTo(1, 3);
  });

  it('forgets everything on reset', () => {
    const meter = new ProgressMeter(100 * CHUNK);
    meter.sample(0, 0);
    const t = feedAcks(meter, { t0: 0, chunk: CHUNK, everyMs: 8000, n: 4 });
    meter.reset(4 * CHUNK, t + 60_000);
    expect(meter.speed(t + 60_000)).toBeNull();
    meter.sample(5 * CHUNK, t + 64_000);
    expect((meter.speed(t + 64_000) ?? 0) / (4 * MiB)).toBeCloseTo(1, 3);
  });

  it('ignores samples from a clock that went back, and merges samples at one instant', () => {
    const meter = new ProgressMeter(100 * MiB);
    meter.sample(0, 0);
    meter.sample(MiB, 1000);
    meter.sample(50 * MiB, 500); // ignored
    expect(meter.snapshot(1000).bytes).toBe(MiB);
    meter.sample(2 * MiB, 1000); // same instant: the later value stands
    expect(meter.snapshot(1000).bytes).toBe(2 * MiB);
    expect(meter.speed(1000)).toBeCloseTo(2 * MiB, -1);
  });

  it('reports fraction clamped to 1, and 1 for an empty total', () => {
    const over = new ProgressMeter(MiB);
    over.sample(2 * MiB, 0);
    expect(over.snapshot(0).fraction).toBe(1);
    expect(new ProgressMeter(0).snapshot(0).fraction).toBe(1);
  });
});

describe('shouldEmit', () => {
  it.each<[number | null, number, number, boolean]>([
    [null, 0, 250, true],
    [1000, 1000, 250, false],
    [1000, 1249, 250, false],
    [1000, 1250, 250, true],
    [1000, 9000, 250, true],
    [1000, 500, 250, true], // the clock went back: do not go silent
    [1000, 1000, 0, true],
  ])('last %s, now %d, interval %d → %s', (last, now, interval, expected) => {
    expect(shouldEmit(last, now, interval)).toBe(expected);
  });
});
