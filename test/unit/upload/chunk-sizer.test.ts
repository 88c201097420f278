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
