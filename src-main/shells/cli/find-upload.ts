import { FirmdropError } from '../../core/errors';
import type { CommandLineApp, Upload } from '../../app/command-line';
import { CliUsageError } from './usage';

/**
 * An upload named on the command line: its full id, or (for the ones still to finish) a unique
 * prefix of it, as `firmdrop uploads` shows them.
 */
export function findUpload(app: CommandLineApp, idOrPrefix: string): Upload {
  const { uploads } = app;
  const exact = uploads.get(idOrPrefix);
  if (exact) return exact;
  const matches =
    idOrPrefix.length >= 4
      ? uploads.listUnfinished().filter((u) => u.id.startsWith(idOrPrefix))
      : [];
  if (matches.length === 1) return matches[0] as Upload;
  if (matches.length > 1) {
    throw new CliUsageError(
      `"${idOrPrefix}" starts ${matches.length} upload ids; give more of it (see "firmdrop uploads").`,
    );
  }
  throw new FirmdropError(
    'not-found',
    `No upload with id "${idOrPrefix}" is in the journal ${uploads.journalFile}. "firmdrop uploads" lists them (check --data-dir).`,
  );
}
