import { BlockCache } from './block-cache';
import type { ChunkReader, HashedChunk, OpenChunkReader } from './chunk-reader';

/** Blocks a fan-out keeps for its slower targets, at most (see BlockCache). */
export const SHARED_BLOCK_BYTES = 16 * 1024 * 1024;

/**
 * One file as the targets of one fan-out read it: one hash pass (a single worker keeps the
 * SHA-256 and hashes each chunk range once; every target with the same chunk boundaries takes
 * the same MD5s) and one read of each body block (`blocks`). Each target's ChunkSource opens it
 * through `openReader` as if it were its own reader; the worker ends when the last one closes,
 * while the digests stay until the fan-out is done (`dispose`), so a target that starts after
 * another finished (same host, one slot) still hashes nothing. A file that changed is another
 * SharedFile: the key holds its size and mtime.
 */
export class SharedFile {
  private reader: ChunkReader | null = null;
  private open = 0;
  private readonly ranges = new Map<string, Promise<HashedChunk>>();
  private readonly sums = new Map<number, Promise<string>>();
  private whole: Promise<string> | null = null;
  readonly blocks: BlockCache;

  constructor(
    readonly path: string,
    private readonly openReal: OpenChunkReader,
    targets: number,
  ) {
    this.blocks = new BlockCache(targets, SHARED_BLOCK_BYTES);
  }

  /** An OpenChunkReader for one target's ChunkSource (its `path` is this file's). */
  readonly openReader: OpenChunkReader = () => {
    this.open += 1;
    let closed = false;
    return {
      hash: (offset, length) => this.hash(offset, length),
      sha256: (end) => this.sha256(end),
      close: async () => {
        if (closed) return;
        closed = true;
        if (--this.open === 0) await this.closeReader();
      },
    };
  };

  /**
   * The small path's SHA-256 (hashed on the engine's thread, see small-steps.ts): `compute` runs
   * for the first target that asks; the others take its answer.
   */
  readonly wholeSha256 = (compute: () => Promise<string>): Promise<string> => {
    if (!this.whole) {
      const p = compute();
      this.whole = p;
      p.catch(() => {
        if (this.whole === p) this.whole = null;
      });
    }
    return this.whole;
  };

  private hash(offset: number, length: number): Promise<HashedChunk> {
    const key = `${offset}:${length}`;
    let p = this.ranges.get(key);
    if (!p) {
      p = this.real().hash(offset, length);
      this.ranges.set(key, p);
      // A failed read is not an answer to keep: the next target asks the file again.
      p.catch(() => this.ranges.delete(key));
    }
    return p;
  }

  private sha256(end: number): Promise<string> {
    let p = this.sums.get(end);
    if (!p) {
      p = this.real().sha256(end);
      this.sums.set(end, p);
      p.catch(() => this.sums.delete(end));
    }
    return p;
  }

  private real(): ChunkReader {
    this.reader ??= this.openReal(this.path, { sha256: true });
    return this.reader;
  }

  private async closeReader(): Promise<void> {
    const r = this.reader;
    this.reader = null;
    await r?.close();
  }

  /** The fan-out is over in this engine: forget the digests and the blocks. */
  async dispose(): Promise<void> {
    this.ranges.clear();
    this.sums.clear();
    this.whole = null;
    this.blocks.clear();
    await this.closeReader();
  }
}
