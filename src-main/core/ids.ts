import { FirmdropError } from './errors';

/**
 * Ids that end up in a URL path (firmware images, upload jobs) or name a row of the journal
 * (uploads). The service documents image and upload job ids only as strings; its examples, and
 * every id it hands out today, are 32 hex digits. Firmdrop's own upload ids are UUIDs. So an id is
 * 1 to 128 ASCII letters, digits, "-" or "_": every id either side makes passes, and nothing that
 * could change what a URL means does — no "." or ".." segment, slash, backslash, percent escape,
 * query, fragment or whitespace. (`encodeURIComponent` alone is not enough: it leaves "." and ".."
 * as they are, and the URL parser then walks up the path: `DELETE /v3/firmware-images/..` became
 * `DELETE /v3/`.)
 */
const ID = /^[A-Za-z0-9_-]+$/;
export const ID_MAX = 128;

/** The rule, in words for messages. */
export const ID_RULE = 'letters, digits, "-" and "_" only';

/** Why `value` is not an id, or null when it is one. */
export function idProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'it is not text';
  if (value === '') return 'it is empty';
  if (value.length > ID_MAX) return `it is longer than ${ID_MAX} characters`;
  if (!ID.test(value)) return `ids are ${ID_RULE}`;
  return null;
}

export function isId(value: unknown): value is string {
  return idProblem(value) === null;
}

/**
 * An id as it can be shown in a message: quoted, control characters escaped (so a pasted escape
 * sequence cannot redraw the terminal), at most 40 characters of it.
 */
export function shownId(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * `value` if it is an id, else FirmdropError('invalid-input') naming what it was meant to be
 * (e.g. "upload job"). Used by the client before it builds a URL.
 */
export function requireId(what: string, value: unknown): string {
  const problem = idProblem(value);
  if (problem === null) return value as string;
  throw new FirmdropError(
    'invalid-input',
    `${shownId(value)} is not a valid ${what} id (${problem}), so nothing was sent. ` +
      `Device Management ${what} ids are 32 hex digits, as the lists show them.`,
  );
}

/** A chunk's id is its position in the job: a whole number, 0 or more. */
export function requireChunkId(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new FirmdropError(
    'invalid-input',
    `${shownId(value)} is not a valid chunk id (a chunk's id is its position, a whole number), so nothing was sent.`,
  );
}
