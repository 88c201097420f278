import { describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { ChunkSizer } from '../../../src-main/upload/chunk-sizer';

describe("a run's chunk sizes (ChunkSizer)", () => {
  it('adaptive: 5 MiB first, the second 4× before any measurement, then by what was measured', () => {
    const sizer = new ChunkSizer(null);
    expect(sizer.next()).toBe(5 * MiB);
    expect(sizer.next()).toBe(20 * MiB);
    // 5 MiB went out in 125 ms at 40 MiB/s, then 100 ms idle: 49 round trips' worth is
    // 196 MiB, capped at 4× the size planned last (20 MiB).
    sizer.acknowledged({ length: 5 * MiB, wireMs: 125, idleMs: 100 });
    expect(sizer.next()).toBe(80 * MiB);
    // Nothing new measured: the size is kept, not grown blindly again.
    expect(sizer.next()).toBe(80 * MiB);
  });

  it('on a long link the first chunk is what hashes within the measured round trip', () => {
    // 100 ms measured on the pre-flight: 20 MiB hash at the assumed 200 MiB/s while the job is
    // created; then 4× and the measured growth reach 100 MiB a chunk sooner than from 5 MiB.
    let roundTrip: number | null = 100;
    const sizer = new ChunkSizer(null, () => roundTrip);
    expect(sizer.next()).toBe(20 * MiB);
    roundTrip = 1; // only the first chunk looks at it
    expect(sizer.next()).toBe(80 * MiB);
    sizer.acknowledged({ length: 20 * MiB, wireMs: 500, idleMs: 100 });
    expect(sizer.next()).toBe(100 * MiB);
  });

  it('a short or unknown round trip starts at the service minimum', () => {
    expect(new ChunkSizer(null, () => 20).next()).toBe(5 * MiB);
    expect(new ChunkSizer(null, () => null).next()).toBe(5 * MiB);
    // A long round trip says nothing of the rate: the first chunk stays within one growth of
    // the minimum, so a slow link does not start with minutes of sending.
    expect(new ChunkSizer(null, () => 2_000).next()).toBe(20 * MiB);
    // A fixed size is the user's: the round trip changes nothing.
    expect(new ChunkSizer(16 * MiB, () => 100).next()).toBe(16 * MiB);
  });

  it('a failure before the second plan halves instead of growing', () => {
    const sizer = new ChunkSizer(null);
    expect(sizer.next()).toBe(5 * MiB);
    sizer.failed();
    expect(sizer.next()).toBe(5 * MiB);
  });

  it('fixed: every chunk has the chosen size', () => {
    const sizer = new ChunkSizer(16 * MiB);
    expect([sizer.next(), sizer.next(), sizer.next()]).toEqual([16 * MiB, 16 * MiB, 16 * MiB]);
  });
});
