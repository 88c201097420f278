/**
 * One event primitive for the whole main side (after VS Code's `Event<T>`): an event is a
 * function you call with a listener, and it hands back a Disposable that unsubscribes. Owners keep
 * an `Emitter` private and expose only its `event`, so listeners can never fire it themselves.
 * Lifetimes are disposed (often many at once with a DisposableStore), not nested in `finally`s.
 */

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

export function toDisposable(dispose: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      dispose();
    },
  };
}

export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private disposed = false;

  /** Subscribe; the same listener added twice is called twice (each has its own Disposable). */
  readonly event: Event<T> = (listener) => {
    if (this.disposed) return toDisposable(() => undefined);
    // A wrapper per subscription, so one function subscribed twice unsubscribes one at a time.
    const entry = (value: T): void => listener(value);
    this.listeners.add(entry);
    return toDisposable(() => this.listeners.delete(entry));
  };

  /**
   * Calls every listener with `value`. One throwing listener (a closed window, a dropped SSE
   * client) must not keep the others from hearing it, so its error is reported and swallowed.
   */
  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  constructor(private readonly onListenerError: (err: unknown) => void = () => undefined) {}
}

/** Many disposables disposed together; adding to a disposed store disposes at once. */
export class DisposableStore implements Disposable {
  private readonly items = new Set<Disposable>();
  private disposed = false;

  add<D extends Disposable>(item: D): D {
    if (this.disposed) item.dispose();
    else this.items.add(item);
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const items = [...this.items];
    this.items.clear();
    for (const item of items) item.dispose();
  }
}

/** Resolves with the first value that `test` accepts (and unsubscribes). */
export function whenFired<T>(
  event: Event<T>,
  test: (value: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve) => {
    const sub = event((value) => {
      if (!test(value)) return;
      sub.dispose();
      resolve(value);
    });
  });
}
