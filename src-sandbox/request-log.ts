import type { SandboxRequestRecord } from './types';

/** How many requests the log keeps: enough for any test, bounded for long benchmark runs. */
const KEEP = 10_000;

/**
 * The order in which API requests arrived and were answered, on one counter. Tests read it to
 * see which requests a client had in flight together (a arrived before b was answered and b
 * before a was answered) without measuring time, and to count requests of one kind.
 */
export class RequestLog {
  private tick = 0;
  private next = 1;
  private readonly records: SandboxRequestRecord[] = [];

  arrive(method: string, path: string, query: URLSearchParams): SandboxRequestRecord {
    const rec: SandboxRequestRecord = {
      seq: this.next++,
      method,
      path,
      query: Object.fromEntries(query),
      arrived: this.tick++,
      answered: null,
      arrivedAtMs: Date.now(),
      answeredAtMs: null,
    };
    this.records.push(rec);
    if (this.records.length > KEEP) this.records.splice(0, this.records.length - KEEP);
    return rec;
  }

  /** The answer went out (or the request ended without one: reset, dropped, client gone). */
  answer(rec: SandboxRequestRecord): void {
    if (rec.answered !== null) return;
    rec.answered = this.tick++;
    rec.answeredAtMs = Date.now();
  }

  list(): SandboxRequestRecord[] {
    return structuredClone(this.records);
  }

  clear(): void {
    this.records.length = 0;
  }
}
