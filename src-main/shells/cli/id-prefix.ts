import { FirmdropError } from '../../core/errors';
import { MIN_ID_PREFIX, matchIdPrefix } from '../../core/id-prefix';
import { CliUsageError } from './usage';

/**
 * Ids as long as the service's (32 hex digits) are taken as whole ids and asked for directly;
 * anything shorter is the start of one.
 */
export const WHOLE_ID_LENGTH = 32;

/** What is being named, in the words of its messages. */
export interface IdKind {
  /** "firmware image", "upload job", "upload". */
  noun: string;
  /** The command that shows the ids: "firmdrop images list". */
  listedBy: string;
  /** The text was looked up as a name too (and no item had it). */
  orName?: boolean;
}

/** A start of an id too short to name anything safely: a usage error, before anything is sent. */
export function assertPrefixLength(text: string, kind: IdKind): void {
  if (text.length >= MIN_ID_PREFIX) return;
  throw new CliUsageError(
    `"${text}" is too short to name ${article(kind.noun)}: give at least ${MIN_ID_PREFIX} characters of its id (see "${kind.listedBy}").`,
  );
}

/**
 * The one item `text` names among `candidates` (those whose id starts with it, found in a search
 * that was `complete` or stopped at its bound after `searched` items), or an error that says why
 * not: several (exit 2, with each id and name), none (exit 1), or a search cut short (exit 1).
 */
export function pickByPrefix<T extends { id: string; name: string }>(
  candidates: readonly T[],
  text: string,
  search: { complete: boolean; searched: number },
  kind: IdKind,
): T {
  if (!kind.orName) assertPrefixLength(text, kind);
  const match = matchIdPrefix(candidates, text, search.complete);
  switch (match.kind) {
    case 'one':
      return match.item;
    case 'many': {
      const width = Math.max(...match.items.map((i) => i.id.length));
      const lines = match.items.map((i) => `  ${i.id.padEnd(width)}  ${i.name}`);
      throw new CliUsageError(
        `"${text}" starts ${match.items.length} ${kind.noun} ids; give more of the one you mean:\n${lines.join('\n')}`,
      );
    }
    case 'incomplete':
      throw new FirmdropError(
        'not-found',
        `Only the newest ${search.searched} ${kind.noun}s were searched for an id starting with "${text}" (the account holds more): give the whole id.`,
      );
    default:
      throw new FirmdropError(
        'not-found',
        kind.orName
          ? `No ${kind.noun} is named "${text}", and no ${kind.noun} id starts with it. "${kind.listedBy}" shows names and ids.`
          : `No ${kind.noun} id starts with "${text}". "${kind.listedBy}" shows the ids.`,
      );
  }
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}
