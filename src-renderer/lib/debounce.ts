/** Runs the last scheduled function once things have been quiet for `delayMs`. */
export class Debouncer {
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly delayMs: number) {}

  schedule(fn: () => void): void {
    this.cancel();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      fn();
    }, this.delayMs);
  }

  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  get pending(): boolean {
    return this.#timer !== null;
  }
}
