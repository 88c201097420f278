/**
 * Ids named by their start, as git names commits: a technician copies "3f2a9c" from a table
 * rather than 32 hex digits. Fewer than MIN_ID_PREFIX characters is refused: "3" would match a
 * sixteenth of everything, and a delete by accident is not undone.
 */
export const MIN_ID_PREFIX = 4;

export type PrefixMatch<T> =
  | { kind: 'one'; item: T }
  | { kind: 'many'; items: T[] }
  | { kind: 'none' }
  /** The search stopped at its bound: what it found cannot be called unique, nor its absence. */
  | { kind: 'incomplete' }
  | { kind: 'too-short' };

/**
 * Which of `items` `text` names: the item whose id it is, else the only one whose id starts with
 * it. Several starting with it is ambiguous, even when the search was cut short (more could only
 * add to them); `complete` false (the list was longer than was searched) makes one match or none
 * uncertain, so neither is answered as if it were sure.
 */
export function matchIdPrefix<T extends { id: string }>(
  items: readonly T[],
  text: string,
  complete: boolean,
): PrefixMatch<T> {
  const exact = items.find((i) => i.id === text);
  if (exact) return { kind: 'one', item: exact };
  if (text.length < MIN_ID_PREFIX) return { kind: 'too-short' };
  const starts = items.filter((i) => i.id.startsWith(text));
  if (starts.length > 1) return { kind: 'many', items: starts };
  if (!complete) return { kind: 'incomplete' };
  return starts.length === 1 ? { kind: 'one', item: starts[0] as T } : { kind: 'none' };
}
