/**
 * The app's one ticking clock: every countdown on screen ("next try in 12 s") reads `now`, so
 * they all move together from a single timer instead of one timer per card.
 */
export class Clock {
  /** Milliseconds since the epoch, as of the last tick. */
  now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | null = null;
  #users = 0;
  #periodMs: number;
  #read: () => number;

  constructor(periodMs = 1000, read: () => number = () => Date.now()) {
    this.#periodMs = periodMs;
    this.#read = read;
    this.now = read();
  }

  /** Starts ticking (once, however many start it); the returned function stops this user's share. */
  start(): () => void {
    this.#users++;
    if (this.#timer === null) {
      this.tick();
      this.#timer = setInterval(() => this.tick(), this.#periodMs);
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      if (--this.#users === 0 && this.#timer !== null) {
        clearInterval(this.#timer);
        this.#timer = null;
      }
    };
  }

  tick(): void {
    this.now = this.#read();
  }

  get running(): boolean {
    return this.#timer !== null;
  }
}

export const clock = new Clock();
