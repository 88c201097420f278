import type { FileHandle } from 'node:fs/promises';

/** Reads a chunk body's blocks: straight from the file, or through a fan-out's BlockCache. */
export interface BlockReader {
  /** [position, position + length) of the file; shorter only when the file ended. */
  read(file: FileHandle, position: number, length: number): Promise<Buffer>;
}

/** Reads a block from the file, as many reads as it takes; short only at the end of the file. */
async function readBlock(file: FileHandle, position: number, length: number): Promise<Buffer> {
  // A fresh buffer per read: a cached block is kept for the other targets, never refilled.
  return readInto(file, Buffer.allocUnsafe(length), position);
}

/** Fills `buf` from the file at `position`; the part filled (short only at the end of the file). */
export async function readInto(file: FileHandle, buf: Buffer, position: number): Promise<Buffer> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await file.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got < buf.length ? buf.subarray(0, got) : buf;
}

/**
 * The blocks of one file that several runs send at about the same time (the targets of a
 * fan-out, cut at the same chunk boundaries): the first run to need a block reads it, and it is
 * kept for the `readers - 1` others, which take it instead of reading the file again. Bounded:
 * past `maxBytes` the oldest blocks are dropped (a target far behind then reads for itself), so
 * a stopped or failed target never pins memory. Blocks are never written to after they are read.
 * One cache belongs to one file identity (path, size, mtime), see SharedFile.
 */
export class BlockCache implements BlockReader {
  private readonly blocks = new Map<
    string,
    { data: Promise<Buffer>; left: number; size: number }
  >();
  private held = 0;
  /** Blocks read from the file, and blocks handed out from the cache (for the tests and the bench). */
  readonly stats = { read: 0, reused: 0 };

  constructor(
    private readonly readers: number,
    private readonly maxBytes: number,
  ) {}

  read(file: FileHandle, position: number, length: number): Promise<Buffer> {
    const key = `${position}:${length}`;
    const hit = this.blocks.get(key);
    if (hit) {
      this.stats.reused += 1;
      if (--hit.left <= 0) this.drop(key);
      return hit.data;
    }
    this.stats.read += 1;
    const data = readBlock(file, position, length);
    if (this.readers > 1 && length <= this.maxBytes) {
      while (this.held + length > this.maxBytes) this.dropOldest();
      this.blocks.set(key, { data, left: this.readers - 1, size: length });
      this.held += length;
      // A failed read is not kept: the next reader tries the file itself.
      data.catch(() => this.drop(key));
    }
    return data;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.held;
  }

  clear(): void {
    this.blocks.clear();
    this.held = 0;
  }

  private dropOldest(): void {
    const oldest = this.blocks.keys().next();
    if (oldest.done) return;
    this.drop(oldest.value);
  }

  private drop(key: string): void {
    const b = this.blocks.get(key);
    if (!b) return;
    this.blocks.delete(key);
    this.held -= b.size;
  }
}
