import { FirmdropError } from '../../core/errors';
import type { CommandLineApp, Upload } from '../../app/command-line';
import { pickByPrefix, type IdKind } from './id-prefix';
import { listUploads } from './journal-list';

const UPLOAD: IdKind = { noun: 'upload', listedBy: 'firmdrop uploads' };

/** More than any journal holds by hand; past it, a prefix is searched among the newest. */
const SEARCH_MAX = 100_000;

/**
 * An upload named on the command line: its full id, or any unique start of it (at least 4
 * characters), as `firmdrop uploads` shows them.
 */
export function findUpload(app: CommandLineApp, idOrPrefix: string): Upload {
  const { uploads } = app;
  const exact = uploads.get(idOrPrefix);
  if (exact) return exact;
  const all = listUploads(app, {}, SEARCH_MAX + 1);
  const candidates = all.slice(0, SEARCH_MAX).filter((u) => u.id.startsWith(idOrPrefix));
  try {
    return pickByPrefix(
      candidates,
      idOrPrefix,
      { complete: all.length <= SEARCH_MAX, searched: Math.min(all.length, SEARCH_MAX) },
      UPLOAD,
    );
  } catch (err) {
    if (err instanceof FirmdropError && err.code === 'not-found') {
      // Name the journal: the usual cause is another --data-dir.
      throw new FirmdropError(
        'not-found',
        `No upload id starts with "${idOrPrefix}" in the journal ${uploads.journalFile}. "firmdrop uploads" lists them (check --data-dir).`,
      );
    }
    throw err;
  }
}
