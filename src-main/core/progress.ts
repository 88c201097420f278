/**
 * Speed and ETA that a person can read. Chunk acknowledgements arrive as large steps (16 MiB at
 * once, seconds apart), so the speed is bytes over a time window with the curve drawn straight
 * between samples, which makes evenly spaced steps read as the steady rate they are; an
 * exponentially weighted average then blends successive window rates. The clock is injected.
 */

export interface ProgressMeterOptions {
  /** Width of the rate window. */
  windowMs?: number;
  /** Time constant of the exponential blending of window rates. */
  smoothingMs?: number;
  /** No speed until the samples span at least this long: a first burst says nothing. */
  minSpanMs?: number;
  /** Quiet time after which the speed starts to fall (at least twice the usual gap between samples). */
  stallGraceMs?: number;
}

export interface ProgressSnapshot {
  bytes: number;
  totalBytes: number;
  fraction: number;
  /** Bytes per second, or null while unknown. */
  speed: number | null;
  /** Whole seconds left, or null while unknown. */
  etaSeconds: number | null;
}

interface Sample {
  t: number;
  b: number;
}

export class ProgressMeter {
  private readonly windowMs: number;
  private readonly smoothingMs: number;
  private readonly minSpanMs: number;
  private readonly stallGraceMs: number;
  private samples: Sample[] = [];
  private smoothed: number | null = null;
  /** The smoothed speed before the latest sample, and the time since the sample before that. */
  private base: number | null = null;
  private baseDtMs = 0;

  /** totalBytes is the size of the whole transfer, for the fraction and the ETA. */
  constructor(
    readonly totalBytes: number,
    options: ProgressMeterOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 20_000;
    this.smoothingMs = options.smoothingMs ?? 5_000;
    this.minSpanMs = options.minSpanMs ?? 1_000;
    this.stallGraceMs = options.stallGraceMs ?? 5_000;
  }

  /** Records that `bytes` (monotonic total) were done at nowMs; a drop restarts the window. */
  sample(bytes: number, nowMs: number): void {
    const last = this.samples.at(-1);
    if (last !== undefined) {
      if (nowMs < last.t) return; // a clock that went back tells nothing
      if (bytes === last.b) return; // flat samples would turn even steps into stairs
      if (bytes < last.b) this.samples = []; // resent after a reconcile: old rates still hold
    }
    const tail = this.samples.at(-1);
    if (tail !== undefined && tail.t === nowMs) {
      tail.b = bytes; // same instant: redo the blend made at it, from the same base
    } else {
      this.samples.push({ t: nowMs, b: bytes });
      this.base = this.smoothed;
      this.baseDtMs = tail === undefined ? 0 : nowMs - tail.t;
    }
    // Keep one sample at or before the window's start, to interpolate the start point.
    while (this.samples.length > 2 && (this.samples[1]?.t ?? nowMs) <= nowMs - this.windowMs) {
      this.samples.shift();
    }
    const raw = this.windowRate(nowMs);
    if (raw === null) return;
    // Time-weighted: a blend after a long gap trusts the new window more than one after 100 ms.
    const alpha = 1 - Math.exp(-this.baseDtMs / this.smoothingMs);
    this.smoothed = this.base === null ? raw : this.base + alpha * (raw - this.base);
  }

  /** Forgets the history (after a pause or a resume), so old rates do not colour the new ones. */
  reset(bytes: number, nowMs: number): void {
    this.samples = [{ t: nowMs, b: bytes }];
    this.smoothed = null;
    this.base = null;
  }

  /** Smoothed bytes/s; falls as 1/t once nothing has arrived for longer than usual. */
  speed(nowMs: number): number | null {
    const last = this.samples.at(-1);
    if (this.smoothed === null || last === undefined) return null;
    const first = this.samples[0] ?? last;
    const gaps = this.samples.length - 1;
    const usualGap = gaps > 0 ? (last.t - first.t) / gaps : 0;
    const grace = Math.max(this.stallGraceMs, 2 * usualGap);
    const quiet = nowMs - last.t;
    return quiet > grace ? (this.smoothed * grace) / quiet : this.smoothed;
  }

  /** Seconds left at the current speed, rounded up; 0 when done, null when the speed is unknown or 0. */
  etaSeconds(nowMs: number): number | null {
    const remaining = this.totalBytes - this.bytes();
    if (remaining <= 0) return 0;
    const speed = this.speed(nowMs);
    if (speed === null || speed <= 0) return null;
    return Math.ceil(remaining / speed);
  }

  /** Everything a progress event carries. */
  snapshot(nowMs: number): ProgressSnapshot {
    const bytes = this.bytes();
    return {
      bytes,
      totalBytes: this.totalBytes,
      fraction: this.totalBytes > 0 ? Math.min(1, bytes / this.totalBytes) : 1,
      speed: this.speed(nowMs),
      etaSeconds: this.etaSeconds(nowMs),
    };
  }

  private bytes(): number {
    return this.samples.at(-1)?.b ?? 0;
  }

  /** Bytes per second over the window ending at `end`, the curve straight between samples. */
  private windowRate(end: number): number | null {
    const first = this.samples[0];
    if (first === undefined) return null;
    const start = Math.max(first.t, end - this.windowMs);
    if (end - start < this.minSpanMs) return null;
    return ((this.bytesAt(end) - this.bytesAt(start)) * 1000) / (end - start);
  }

  private bytesAt(t: number): number {
    let before = this.samples[0];
    for (const s of this.samples) {
      if (s.t >= t) {
        if (before === undefined || s.t === before.t) return s.b;
        return before.b + ((s.b - before.b) * (t - before.t)) / (s.t - before.t);
      }
      before = s;
    }
    return before?.b ?? 0;
  }
}

/** Throttle for progress events: emit when nothing was emitted yet, enough time passed, or the clock went back. */
export function shouldEmit(
  lastEmitMs: number | null,
  nowMs: number,
  minIntervalMs: number,
): boolean {
  return lastEmitMs === null || nowMs < lastEmitMs || nowMs - lastEmitMs >= minIntervalMs;
}

/** Where a job's upload is, in chunks. */
export interface ChunkProgress {
  /** The last chunk the server acknowledged (0 before the first). */
  current: number;
  /** How many chunks the file makes; an estimate while sizes still adapt to the link. */
  total: number;
  estimated: boolean;
  /** The chunk on the wire now, or null between chunks. */
  sending: number | null;
}

/**
 * "chunk 3 of ~12": the chunk on the wire (or, between two, the one just acknowledged); one
 * wording for the CLI and the UI. "~" says honestly that n may still move while chunk sizes adapt
 * to the link. What the server acknowledged is told apart, in bytes.
 */
export function chunkLabel(c: ChunkProgress): string {
  return `chunk ${c.sending ?? c.current} of ${c.estimated ? '~' : ''}${c.total}`;
}
