/**
 * Measures what the page really draws: every visible line of text as the browser laid it out
 * (`Range.getClientRects()` of each text node, one rectangle per line), cut to the boxes of the
 * ancestors that clip it. Two such rectangles that cross are text drawn over text; a rectangle
 * cut to (almost) nothing is text the user cannot read.
 */
import type { Locator, Page } from '@playwright/test';

export interface TextBox {
  text: string;
  /** A short CSS-like path of the element holding the text, for the failure message. */
  where: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Overlap {
  a: TextBox;
  b: TextBox;
  /** The shared area's width × height, in CSS pixels. */
  shared: { width: number; height: number };
}

export interface Cut {
  box: TextBox;
  /** The width the text needs; `box.width` is what is left of it. */
  needs: number;
}

export interface LayoutReport {
  overlaps: Overlap[];
  /** Text cut at a clipping edge (the window's, a card's) mid-word, with no ellipsis to say so. */
  sliced: Cut[];
  /** Cells whose text is cut below `minVisiblePx` (or below its own width, if smaller). */
  cut: Cut[];
}

export interface LayoutCheck {
  /** Where to look (default: the whole page). */
  within?: string;
  /** Elements whose text must stay readable, e.g. a table's name cells. */
  cells?: string;
  /** How much of a cell's text must stay visible, in px (default 64: about 8 characters). */
  minVisiblePx?: number;
  /** Crossings smaller than this in either direction are anti-aliasing, not overlap (default 2). */
  tolerancePx?: number;
}

/** Runs in the page: no imports, plain DOM. */
function measure(
  opts: Required<Omit<LayoutCheck, 'within' | 'cells'>> & {
    within: string | null;
    cells: string | null;
  },
): LayoutReport {
  type Rect = { left: number; top: number; right: number; bottom: number };
  const root = opts.within ? document.querySelector(opts.within) : document.body;
  if (!root) throw new Error(`layout check: nothing matches ${opts.within}`);

  const describe = (el: Element): string => {
    const parts: string[] = [];
    for (let e: Element | null = el; e && e !== document.body && parts.length < 4;) {
      const cls = [...e.classList].filter((c) => !c.startsWith('svelte-')).slice(0, 2);
      parts.unshift(e.tagName.toLowerCase() + cls.map((c) => `.${c}`).join(''));
      e = e.parentElement;
    }
    return parts.join(' > ');
  };
  const intersect = (a: Rect, b: Rect): Rect => ({
    left: Math.max(a.left, b.left),
    top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right),
    bottom: Math.min(a.bottom, b.bottom),
  });
  const viewport: Rect = {
    left: 0,
    top: 0,
    right: document.documentElement.clientWidth,
    bottom: document.documentElement.clientHeight,
  };
  /** The part of the page an element's content may show in: its clipping ancestors' boxes. */
  const clipOf = (el: Element): Rect | null => {
    let clip = viewport;
    for (let e: Element | null = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') {
        return null;
      }
      // Visually hidden text (for screen readers) is meant not to be seen.
      if (style.clip !== 'auto' && style.clip !== '') return null;
      if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
        clip = intersect(clip, e.getBoundingClientRect());
      }
    }
    return clip;
  };
  /** The box that clips this text (its nearest ancestor that hides overflow) draws an ellipsis. */
  const endsInEllipsis = (el: Element): boolean => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.overflowX !== 'visible') return style.textOverflow === 'ellipsis';
    }
    return false;
  };
  const toBox = (text: string, el: Element, r: Rect): TextBox => ({
    text: text.trim().slice(0, 60),
    where: describe(el),
    x: Math.round(r.left),
    y: Math.round(r.top),
    width: Math.round(r.right - r.left),
    height: Math.round(r.bottom - r.top),
  });

  const lines: { node: Node; box: TextBox; rect: Rect }[] = [];
  const sliced: Cut[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    const owner = node.parentElement;
    if (!owner || text.trim() === '' || owner.closest('script, style, option')) continue;
    const clip = clipOf(owner);
    if (!clip) continue;
    range.selectNodeContents(node);
    for (const line of range.getClientRects()) {
      if (line.width < 1 || line.height < 1) continue;
      const seen = intersect(line, clip);
      // Cut top or bottom (even wholly) is a scrolled list's row or a screen's scrolled part.
      if (seen.bottom - seen.top < 1) continue;
      // Cut sideways without an ellipsis (even wholly: pushed out of a card or the window), the
      // reader cannot tell that something is missing.
      const visible = Math.max(0, seen.right - seen.left);
      if (line.width - visible > opts.tolerancePx && !endsInEllipsis(owner)) {
        const shown = { ...seen, right: seen.left + visible };
        sliced.push({ box: toBox(text, owner, shown), needs: Math.round(line.width) });
      }
      if (visible < 1) continue;
      lines.push({ node, box: toBox(text, owner, seen), rect: seen });
    }
  }

  const overlaps: Overlap[] = [];
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const a = lines[i];
      const b = lines[j];
      // An ellipsis gives a text node a second rectangle over its own first: not an overlap.
      if (!a || !b || a.node === b.node) continue;
      const shared = intersect(a.rect, b.rect);
      const width = shared.right - shared.left;
      const height = shared.bottom - shared.top;
      if (width > opts.tolerancePx && height > opts.tolerancePx) {
        overlaps.push({
          a: a.box,
          b: b.box,
          shared: { width: Math.round(width), height: Math.round(height) },
        });
      }
    }
  }

  const cut: Cut[] = [];
  for (const cell of opts.cells ? root.querySelectorAll(opts.cells) : []) {
    const clip = clipOf(cell);
    if (!clip) continue;
    const whole = cell.getBoundingClientRect();
    // Rows a scrolled list keeps outside its viewport are not on screen at all.
    if (whole.bottom <= clip.top || whole.top >= clip.bottom) continue;
    const needs = Math.max(cell.scrollWidth, whole.width);
    const seen = intersect(whole, clip);
    const visible = Math.max(0, seen.right - seen.left);
    if (visible + 0.5 < Math.min(needs, opts.minVisiblePx)) {
      cut.push({ box: toBox(cell.textContent ?? '', cell, seen), needs: Math.round(needs) });
    }
  }
  return { overlaps, sliced, cut };
}

/** What overlaps and what is cut, measured in the page as it is now. */
export async function measureLayout(page: Page, check: LayoutCheck = {}): Promise<LayoutReport> {
  return page.evaluate(measure, {
    within: check.within ?? null,
    cells: check.cells ?? null,
    minVisiblePx: check.minVisiblePx ?? 64,
    tolerancePx: check.tolerancePx ?? 2,
  });
}

/** One line per problem, for an assertion's message. */
export function describeLayout(report: LayoutReport): string[] {
  const box = (b: TextBox) => `"${b.text}" (${b.where}) at ${b.x},${b.y} ${b.width}×${b.height}`;
  return [
    ...report.overlaps.map(
      (o) => `overlap ${o.shared.width}×${o.shared.height}px: ${box(o.a)} and ${box(o.b)}`,
    ),
    ...report.sliced.map((c) => `sliced to ${c.box.width}px of ${c.needs}px: ${box(c.box)}`),
    ...report.cut.map((c) => `cut to ${c.box.width}px of ${c.needs}px: ${box(c.box)}`),
  ];
}

/** Waits for a locator then measures; handy when a screen renders its list late. */
export async function layoutProblems(
  page: Page,
  ready: Locator,
  check: LayoutCheck = {},
): Promise<string[]> {
  await ready.first().waitFor();
  return describeLayout(await measureLayout(page, check));
}
