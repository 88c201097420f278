import type { PlannedChunk } from '../core/chunk-plan';
import { openChunkReader, type ChunkReader, type ReadChunk } from './chunk-reader';

/**
 * The job path's view of the file: chunk k is handed out while chunk k+1 is already being read
 * and hashed on the worker, so disk and network overlap; at most those two are held in memory.
 * The reader only moves forward (that is how the file's SHA-256 comes out of the same pass), so
 * resuming at chunk k first re-reads chunks 1…k-1 and checks each against the journal's MD5.
 */
export class ChunkSource {
  private reader: ChunkReader | null = null;
  /** The chunk index the reader will read next (1-based). */
  private next = 1;
  private readonly reads = new Map<number, Promise<ReadChunk>>();

  constructor(
    private readonly path: string,
    private readonly plan: readonly PlannedChunk[],
  ) {}

  get chunkCount(): number {
    return this.plan.length;
  }

  /**
   * Makes `index` the next chunk to hand out. Chunks before it are re-read when needed and
   * compared with `journaledMd5` (undefined: nothing to compare); returns the first index whose
   * bytes differ, or null.
   */
  async seek(
    index: number,
    journaledMd5: (i: number) => string | undefined,
    onReread?: (bytes: number) => void,
  ): Promise<number | null> {
    for (const k of [...this.reads.keys()]) if (k < index) this.reads.delete(k);
    if (this.reads.has(index) || this.next === index) return null;
    if (this.next > index) await this.restart();
    let reread = 0;
    while (this.next < index) {
      const i = this.next;
      const chunk = await this.schedule(i);
      this.reads.delete(i);
      const want = journaledMd5(i);
      const same = want === undefined || chunk.md5Hex === want;
      reread += chunk.bytes.length;
      this.open().recycle(chunk.bytes);
      if (!same) return i;
      onReread?.(reread);
    }
    return null;
  }

  /** Chunk `index` (which must be the next one), starting the read of the one after it. */
  async take(index: number): Promise<ReadChunk> {
    const pending = this.reads.get(index) ?? (this.next === index ? this.schedule(index) : null);
    if (!pending) throw new Error(`chunk ${index} requested out of order (next is ${this.next})`);
    if (index + 1 <= this.plan.length && this.next === index + 1) void this.schedule(index + 1);
    return pending;
  }

  /**
   * Forget a chunk once the server acknowledged it and give its memory back to the reader, so
   * memory stays at a few chunks. The caller must not touch that chunk's bytes afterwards.
   */
  release(index: number): void {
    const pending = this.reads.get(index);
    this.reads.delete(index);
    const reader = this.reader;
    if (pending && reader)
      void pending.then(
        (c) => reader.recycle(c.bytes),
        () => undefined,
      );
  }

  /** The SHA-256 of the whole file; valid once every chunk has been read. */
  async sha256(): Promise<string> {
    if (this.next <= this.plan.length) await this.seek(this.plan.length + 1, () => undefined);
    return this.open().sha256();
  }

  async restart(): Promise<void> {
    await this.close();
    this.next = 1;
  }

  async close(): Promise<void> {
    this.reads.clear();
    const r = this.reader;
    this.reader = null;
    await r?.close();
  }

  private open(): ChunkReader {
    this.reader ??= openChunkReader(this.path);
    return this.reader;
  }

  private schedule(index: number): Promise<ReadChunk> {
    const c = this.plan[index - 1];
    if (!c) throw new Error(`chunk ${index} is outside the plan of ${this.plan.length}`);
    const p = this.open().read(c.offset, c.length);
    // A prefetch nobody awaits yet must not become an unhandled rejection; take() rethrows it.
    p.catch(() => undefined);
    this.reads.set(index, p);
    this.next = index + 1;
    return p;
  }
}
