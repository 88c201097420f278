import { nextChunkSize } from '../core/chunk-plan';

/** How one chunk went out, measured on the engine's clock. */
export interface ChunkTiming {
  length: number;
  /** From the first body byte handed to the socket to the last. */
  wireMs: number;
  /** From the last body byte handed to the socket to the answer. */
  idleMs: number;
}

/**
 * One run's chunk sizes: fixed when the user chose a size (`--chunk-size`, the upload's row, the
 * setting), else adapted to the link by core's `nextChunkSize` from the last chunk's timing.
 * The idle time is measured from the last byte *handed to the socket*, so it also holds the time
 * the kernel's send buffer takes to drain: it overstates the round trip a little, which errs
 * towards bigger chunks (a few percent more to resend after a failure, never a slower link).
 */
export class ChunkSizer {
  private planned: number | null = null;
  private last: ChunkTiming | null = null;
  private failures = 0;
  /** Chunks planned so far in this run. */
  private count = 0;

  constructor(
    readonly fixed: number | null,
    /** The link's round trip as the client measured it (ms), for the first chunk's size. */
    private readonly roundTripMs: () => number | null = () => null,
  ) {}

  get adaptive(): boolean {
    return this.fixed === null;
  }

  /** The size for the next chunk to be cut (call once per chunk, in order). */
  next(): number {
    if (this.fixed !== null) return this.fixed;
    const t = this.last;
    const wireRate = t && t.wireMs > 0 ? (t.length * 1000) / t.wireMs : null;
    this.planned = nextChunkSize({
      current: this.planned,
      wireRate,
      idleMs: t?.idleMs ?? null,
      failures: this.failures,
      planned: this.count,
      roundTripMs: this.planned === null ? this.roundTripMs() : null,
    });
    this.count += 1;
    // Each measurement and each failure counts once.
    this.last = null;
    this.failures = 0;
    return this.planned;
  }

  /** What the next call of `next()` would say now, without planning (for "chunk k of ~n"). */
  peek(): number {
    return (
      this.fixed ??
      this.planned ??
      nextChunkSize({ current: null, wireRate: null, idleMs: null, failures: 0 })
    );
  }

  acknowledged(timing: ChunkTiming): void {
    this.last = timing;
  }

  failed(): void {
    this.failures += 1;
  }
}
