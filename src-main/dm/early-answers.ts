import { createHash } from 'node:crypto';

/** How long an answer fetched ahead waits for its taker: the command that asked for it is next. */
const KEEP_MS = 10_000;

interface Early<T> {
  answer: Promise<T>;
  until: number;
}

/**
 * Answers to GET requests sent ahead of the step that needs them, for one taker each, in this
 * process. The CLI with FIRMDROP_API_KEY must ask `accounts/me` which account the key is before
 * it can journal an upload; the pre-flight's look-ups (the quota, the names) do not depend on
 * the answer, so they go out beside it (a client made with `shareGets`), and the pre-flight that
 * follows takes their answers here instead of asking again: one round trip less before the
 * first chunk. A request is matched by its key and its whole URL; an answer that failed is
 * dropped, so the taker asks again with its own retries.
 */
const early = new Map<string, Early<unknown>>();

/** Identifies a request without holding the key itself. */
export function earlyKey(apiKey: string, url: string): string {
  return createHash('sha256').update(apiKey).update('\0').update(url).digest('hex');
}

export function offerEarly<T>(key: string, answer: Promise<T>, now = Date.now()): void {
  for (const [k, e] of early) if (e.until < now) early.delete(k);
  early.set(key, { answer, until: now + KEEP_MS });
  answer.catch(() => {
    if (early.get(key)?.answer === answer) early.delete(key);
  });
}

/** The answer fetched ahead for this request, once; null when there is none (or it is stale). */
export function takeEarly<T>(key: string, now = Date.now()): Promise<T> | null {
  const e = early.get(key);
  if (!e) return null;
  early.delete(key);
  return e.until >= now ? (e.answer as Promise<T>) : null;
}
