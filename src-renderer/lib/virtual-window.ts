export interface WindowInput {
  count: number;
  rowHeight: number;
  viewportHeight: number;
  scrollTop: number;
  /** Rows rendered beyond each edge, so fast scrolling and Tab never meet a blank. */
  overscan?: number;
}

export interface WindowRange {
  /** First rendered row. */
  start: number;
  /** One past the last rendered row. */
  end: number;
  /** Where row `start` sits, in px from the top of the content. */
  offsetTop: number;
  totalHeight: number;
}

/** Which rows of a fixed-row-height list need to be in the DOM. */
export function visibleWindow(input: WindowInput): WindowRange {
  const { count, rowHeight } = input;
  const overscan = input.overscan ?? 4;
  const totalHeight = Math.max(0, count) * rowHeight;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight: 0 };
  const viewport = Math.max(0, input.viewportHeight);
  const maxScroll = Math.max(0, totalHeight - viewport);
  const top = Math.min(Math.max(0, input.scrollTop), maxScroll);
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + viewport) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, Math.max(last, first + 1) + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}
