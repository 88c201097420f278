import type { CommandLineApp, FirmwareImage, UploadJob } from '../../app/command-line';
import { MIN_ID_PREFIX } from '../../core/id-prefix';
import { isId } from '../../core/ids';
import { WHOLE_ID_LENGTH, assertPrefixLength, pickByPrefix, type IdKind } from './id-prefix';

export const IMAGE: IdKind = { noun: 'firmware image', listedBy: 'firmdrop images list' };
export const JOB: IdKind = { noun: 'upload job', listedBy: 'firmdrop jobs list' };

/** A short text that was no name: answered "no such name", not "too short". */
const NOTHING_SEARCHED = { complete: true, searched: 0 };

/**
 * The image `text` names: an exact name (when `byName`, asked of the service with `name__eq`),
 * else a whole id, else the unique start of one. A name wins over an id start: names are what
 * people type on purpose.
 */
export async function findImage(
  app: CommandLineApp,
  accountId: string,
  text: string,
  o: { byName: boolean },
): Promise<FirmwareImage> {
  const kind = o.byName ? { ...IMAGE, orName: true } : IMAGE;
  if (o.byName) {
    const named = await app.server.listImages(accountId, { name: text, max: 1 });
    if (named.items[0]) return named.items[0];
    // Not shaped like an id ("fw 1.0", ".."): it was a name, and no image has it.
    if (text.length < MIN_ID_PREFIX || !isId(text))
      return pickByPrefix([], text, NOTHING_SEARCHED, kind);
  }
  if (text.length >= WHOLE_ID_LENGTH) return app.server.getImage(accountId, text);
  assertPrefixLength(text, kind);
  const search = await app.server.findImagesByIdPrefix(accountId, text);
  return pickByPrefix(search.matches, text, search, kind);
}

/** The upload job `text` names: a whole id, or the unique start of one. */
export async function findJob(
  app: CommandLineApp,
  accountId: string,
  text: string,
): Promise<UploadJob> {
  if (text.length >= WHOLE_ID_LENGTH) return app.server.getJob(accountId, text);
  assertPrefixLength(text, JOB);
  const search = await app.server.findJobsByIdPrefix(accountId, text);
  return pickByPrefix(search.matches, text, search, JOB);
}
