/**
 * A count that only grows, with waits on the values it reaches: tests stop a client at a position
 * of its upload (the n-th request, the n-th body byte) rather than after a guessed delay.
 */
export class Counter {
  private count = 0;
  private waiters: Array<{ at: number; reached: () => void }> = [];

  get value(): number {
    return this.count;
  }

  add(n: number): void {
    this.count += n;
    if (this.waiters.length === 0) return;
    const due = this.waiters.filter((w) => w.at <= this.count);
    this.waiters = this.waiters.filter((w) => w.at > this.count);
    for (const w of due) w.reached();
  }

  whenAt(at: number): Promise<void> {
    if (this.count >= at) return Promise.resolve();
    return new Promise((reached) => this.waiters.push({ at, reached }));
  }
}
