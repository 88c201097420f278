/**
 * Offering another name when the service answers 409 (an image or an upload job already has it).
 * The suggestion follows the file-manager habit: "fw-1.2" → "fw-1.2 (2)" → "fw-1.2 (3)".
 */
import { FirmdropError, worded } from './errors';
import { NAME_MAX } from './limits';
import { charCount } from './validation';

/** Names known to be in use: a set (exact match) or a predicate, e.g. over images and jobs. */
export type TakenNames = ReadonlySet<string> | ((name: string) => boolean);

export interface FreeNameOptions {
  maxLength?: number;
  /** Bounds the search when `taken` is a predicate that might say yes forever. */
  maxTries?: number;
}

// " (n)" at the very end, n without sign; anything before it is the base that gets the next number.
const NUMBERED = /^(.*\S) \((\d{1,9})\)$/su;

/** Splits "fw (3)" into base "fw" and 3; a name without that suffix is its own base, number 1. */
export function splitNumberedName(name: string): { base: string; n: number } {
  const match = NUMBERED.exec(name);
  if (match === null) return { base: name, n: 1 };
  return { base: match[1] ?? name, n: Number(match[2]) };
}

/**
 * The first of "base (k)", k = n+1, n+2, … that is not taken, truncating the base (never the
 * number) to fit maxLength. Never returns `name` itself (k always exceeds the name's own number):
 * callers ask because the service said it is taken, perhaps by a job that an image list misses.
 */
export function suggestFreeName(
  name: string,
  taken: TakenNames,
  options: FreeNameOptions = {},
): string {
  const maxLength = options.maxLength ?? NAME_MAX;
  const maxTries = options.maxTries ?? 10_000;
  const isTaken = typeof taken === 'function' ? taken : (n: string) => taken.has(n);
  const { base, n } = splitNumberedName(name);
  const first = Math.max(n + 1, 2);
  for (let k = first; k < first + maxTries; k += 1) {
    const candidate = numbered(base, k, maxLength);
    if (!isTaken(candidate)) return candidate;
  }
  const { message, cli } = worded(
    `"${name}" and the next ${maxTries} numbered variants are all taken.`,
    { ui: 'Enter a different name.', cli: 'Give a different name with --name NAME.' },
  );
  throw new FirmdropError('name-taken', message, { cli });
}

function numbered(base: string, k: number, maxLength: number): string {
  const suffix = ` (${k})`;
  const room = maxLength - charCount(suffix);
  if (room < 1) {
    throw new FirmdropError(
      'internal',
      `A name limit of ${maxLength} leaves no room for "${suffix}".`,
    );
  }
  // Cut by code points so a surrogate pair is never split; drop spaces the cut leaves at the end.
  const kept = charCount(base) <= room ? base : Array.from(base).slice(0, room).join('').trimEnd();
  return kept + suffix;
}
