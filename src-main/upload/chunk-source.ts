import { BodyBuffers } from './chunk-body';
import {
  openChunkReader,
  type ChunkReader,
  type HashedChunk,
  type OpenChunkReader,
} from './chunk-reader';

/** A chunk ready to send: its place in the job and its MD5; the bytes stay in the file. */
export interface SendChunk extends HashedChunk {
  index: number;
}

/** A chunk the server already holds, as the journal recorded it. */
export interface HeldChunk {
  index: number;
  offset: number;
  length: number;
  md5Hex: string;
}

/** What checking the held prefix found: the first chunk whose bytes differ, and the file's SHA-256. */
interface PrefixCheck {
  changedAt: number | null;
  sha256: string | null;
}

/**
 * The job path's view of the file. Chunk k+1 is hashed on a worker (MD5, and the file's running
 * SHA-256) while chunk k is on the wire; bodies are streamed from the file by chunk-body.ts, so
 * nothing here holds a chunk's bytes. When a run resumes after chunks another run sent, those
 * are checked against the journal's MD5s on a second worker *while* the rest is sent: the first
 * POST does not wait for the check, the completion does (`digest`).
 */
export class ChunkSource {
  /** The read buffers of the chunk bodies sent from this source, one body at a time. */
  readonly bodyBuffers = new BodyBuffers();
  private sender: ChunkReader | null = null;
  /** Whether the sender keeps the SHA-256 (a fresh run) or the prefix checker does (a resume). */
  private shaInSender: boolean | null = null;
  private verifier: ChunkReader | null = null;
  private check: Promise<PrefixCheck> | null = null;
  private checked: PrefixCheck | Error | null = null;
  private ahead: { index: number; offset: number; length: number; p: Promise<SendChunk> } | null =
    null;
  /** Bytes from 0 this source hashed itself in this run: a retry up to here needs no check. */
  private trustedTo = 0;

  constructor(
    readonly path: string,
    readonly fileSize: number,
    private readonly openReader: OpenChunkReader = openChunkReader,
  ) {}

  /**
   * Starts an attempt that sends from `offset`, after the server's `held` chunks. Bytes this run
   * did not hash itself are checked against the journal in parallel (see `prefixProblem`).
   */
  begin(offset: number, held: readonly HeldChunk[]): void {
    if (this.shaInSender === null) this.shaInSender = offset === 0;
    if (offset <= this.trustedTo || this.check) return;
    const verifier = this.openReader(this.path, { sha256: true });
    this.verifier = verifier;
    const rows = held.filter((c) => c.offset + c.length <= offset);
    this.check = (async (): Promise<PrefixCheck> => {
      for (const c of rows) {
        const h = await verifier.hash(c.offset, c.length);
        if (h.md5Hex !== c.md5Hex.toLowerCase()) return { changedAt: c.index, sha256: null };
      }
      return { changedAt: null, sha256: await verifier.sha256(this.fileSize) };
    })();
    this.check.then(
      (r) => (this.checked = r),
      (e: unknown) => (this.checked = e instanceof Error ? e : new Error(String(e))),
    );
  }

  /** Whether a prefix check is running or ran (a resume of another run's chunks). */
  get checking(): boolean {
    return this.check !== null;
  }

  /** The prefix check's verdict so far: a changed chunk or a read failure; null if none (yet). */
  prefixProblem(): { changedAt: number } | Error | null {
    const c = this.checked;
    if (c instanceof Error) return c;
    return c?.changedAt != null ? { changedAt: c.changedAt } : null;
  }

  /** Chunk `index` at [offset, offset + length) with its MD5, from the hash done ahead if it matches. */
  hashed(index: number, offset: number, length: number): Promise<SendChunk> {
    const a = this.ahead;
    this.ahead = null;
    if (a && a.index === index && a.offset === offset && a.length === length) return a.p;
    return this.hash(index, offset, length);
  }

  /** Starts hashing the chunk that will follow, while the current one is sent. */
  prefetch(index: number, offset: number, length: number): void {
    if (length <= 0) return;
    const p = this.hash(index, offset, length);
    // A prefetch nobody takes must not become an unhandled rejection; hashed() rethrows it.
    p.catch(() => undefined);
    this.ahead = { index, offset, length, p };
  }

  /**
   * The SHA-256 of the whole file, once every chunk is hashed and the held prefix checked: a
   * `changedAt` means the bytes of that chunk on the server are no longer the file's.
   */
  async digest(): Promise<{ changedAt: number | null; sha256: string }> {
    if (this.check) {
      const r = await this.check;
      if (r.changedAt !== null || r.sha256 === null) return { changedAt: r.changedAt, sha256: '' };
      return { changedAt: null, sha256: r.sha256 };
    }
    this.shaInSender ??= true;
    return { changedAt: null, sha256: await this.open().sha256(this.fileSize) };
  }

  /** Forgets everything hashed: the job starts over (its chunks may be cut differently now). */
  async restart(): Promise<void> {
    await this.close();
    this.shaInSender = null;
    this.trustedTo = 0;
  }

  async close(): Promise<void> {
    this.ahead = null;
    this.check = null;
    this.checked = null;
    const [s, v] = [this.sender, this.verifier];
    this.sender = null;
    this.verifier = null;
    await Promise.all([s?.close(), v?.close()]);
  }

  private open(): ChunkReader {
    this.sender ??= this.openReader(this.path, { sha256: this.shaInSender ?? true });
    return this.sender;
  }

  private async hash(index: number, offset: number, length: number): Promise<SendChunk> {
    // The first range hashed decides: from 0 the sender keeps the SHA-256; a resume leaves it to
    // the prefix check (`begin`), so the sender never re-reads the prefix before the first POST.
    this.shaInSender ??= offset === 0;
    const h = await this.open().hash(offset, length);
    // The sender's SHA-256 reads any gap itself, so everything up to here was hashed by this run.
    if (this.shaInSender !== false) this.trustedTo = Math.max(this.trustedTo, offset + length);
    return { ...h, index };
  }
}
