import { FirmdropError } from '../core/errors';
import { hashFile } from '../upload/file-hash';
import { inspectFile } from '../upload/file-identity';
import type { FileDigest } from './contract';

/** At most this many files are hashed at once: a drop of twenty builds must not start twenty workers. */
const AT_ONCE = 2;

interface Entry {
  controller: AbortController;
  digest: Promise<FileDigest>;
}

/**
 * Hashes each draft's file in the background as soon as it is staged, so the card can say
 * "Already on this account" before Start. One entry per staged file (its ref): asking twice
 * joins the first hash; forgetting it (the draft was removed) stops the work.
 */
export class DraftFiles {
  readonly #entries = new Map<string, Entry>();
  readonly #waiting: Array<() => void> = [];
  #running = 0;

  constructor(private readonly resolveFile: (ref: string) => string | null) {}

  digest(ref: string): Promise<FileDigest> {
    const known = this.#entries.get(ref);
    if (known) return known.digest;
    const controller = new AbortController();
    const digest = this.#hash(ref, controller.signal);
    this.#entries.set(ref, { controller, digest });
    // A failure is not remembered: the next ask (after the user fixed the file) tries again.
    digest.catch(() => {
      if (this.#entries.get(ref)?.digest === digest) this.#entries.delete(ref);
    });
    return digest;
  }

  forget(ref: string): void {
    this.#entries.get(ref)?.controller.abort();
    this.#entries.delete(ref);
  }

  dispose(): void {
    for (const ref of [...this.#entries.keys()]) this.forget(ref);
  }

  async #hash(ref: string, signal: AbortSignal): Promise<FileDigest> {
    const path = this.resolveFile(ref);
    if (!path) {
      throw new FirmdropError(
        'file-missing',
        'This file is no longer available to Firmdrop. Drop it again.',
      );
    }
    // Missing, a folder, unreadable or empty: said on the card at once, before any hashing.
    const { size } = await inspectFile(path);
    await this.#slot(signal);
    try {
      return { size, sha256: await hashFile(path, size, signal) };
    } finally {
      this.#running--;
      // Every waiter looks again (one takes the slot): a removed draft's waiter may be among them.
      for (const wake of this.#waiting.splice(0)) wake();
    }
  }

  /** Waits for one of the AT_ONCE hashing slots (or fails at once when the draft is removed). */
  async #slot(signal: AbortSignal): Promise<void> {
    while (this.#running >= AT_ONCE) {
      await new Promise<void>((resolve) => {
        this.#waiting.push(resolve);
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      if (signal.aborted) throw new FirmdropError('cancelled', 'The draft was removed.');
    }
    if (signal.aborted) throw new FirmdropError('cancelled', 'The draft was removed.');
    this.#running++;
  }
}
