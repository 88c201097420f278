import { describe, expect, it } from 'vitest';
import { visibleWindow } from '../../../src-renderer/lib/virtual-window';

describe('virtual list window', () => {
  const base = { count: 10_000, rowHeight: 50, viewportHeight: 500, overscan: 0 };

  it('renders only the rows in view at the top', () => {
    expect(visibleWindow({ ...base, scrollTop: 0 })).toEqual({
      start: 0,
      end: 10,
      offsetTop: 0,
      totalHeight: 500_000,
    });
  });

  it('covers a row cut by either edge', () => {
    const w = visibleWindow({ ...base, scrollTop: 1025 });
    expect(w.start).toBe(20); // row 20 spans 1000..1050, partly visible
    expect(w.end).toBe(31); // row 30 spans 1500..1550, partly visible
    expect(w.offsetTop).toBe(1000);
  });

  it('adds overscan on both sides, clamped to the list', () => {
    expect(visibleWindow({ ...base, scrollTop: 1000, overscan: 4 })).toMatchObject({
      start: 16,
      end: 34,
    });
    expect(visibleWindow({ ...base, scrollTop: 0, overscan: 4 })).toMatchObject({
      start: 0,
      end: 14,
    });
  });

  it('keeps at most a viewport and overscan in the DOM for 10,000 rows', () => {
    for (const scrollTop of [0, 12_345, 250_000, 499_500]) {
      const w = visibleWindow({ ...base, scrollTop, overscan: 6 });
      expect(w.end - w.start).toBeLessThanOrEqual(10 + 1 + 12);
    }
  });

  it('clamps a scroll position past the end (the list shrank under it)', () => {
    const w = visibleWindow({ ...base, count: 30, scrollTop: 99_999 });
    expect(w).toEqual({ start: 20, end: 30, offsetTop: 1000, totalHeight: 1500 });
  });

  it('handles empty lists, lists shorter than the viewport and a viewport not measured yet', () => {
    expect(visibleWindow({ ...base, count: 0, scrollTop: 0 })).toEqual({
      start: 0,
      end: 0,
      offsetTop: 0,
      totalHeight: 0,
    });
    expect(visibleWindow({ ...base, count: 3, scrollTop: 0 })).toMatchObject({ start: 0, end: 3 });
    expect(visibleWindow({ ...base, viewportHeight: 0, scrollTop: 0 })).toMatchObject({
      start: 0,
      end: 1,
    });
  });
});
