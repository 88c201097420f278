import type { ManifestPayloadQuery, ManifestPayloadView } from '../../src-main/app/contract';
import { call, messageOf } from './api';
import { copyText } from './clipboard';

export type ManifestCopyOutcome =
  { ok: true; view: ManifestPayloadView } | { ok: false; message: string };

/** Asks the service for the image's manifest-tool payload section and puts it on the clipboard. */
export async function copyManifestPayload(
  query: ManifestPayloadQuery,
): Promise<ManifestCopyOutcome> {
  let view: ManifestPayloadView;
  try {
    view = await call('images:manifest-payload', query);
  } catch (err) {
    return { ok: false, message: messageOf(err) };
  }
  if (!(await copyText(view.yaml))) {
    return {
      ok: false,
      message:
        'Could not copy: the system refused the clipboard. Try again with the window in front.',
    };
  }
  return { ok: true, view };
}

/** What to tell after a copy: what it holds, and what is left to the technician. */
export function copiedLine(view: ManifestPayloadView): string {
  const parts = ['Copied the payload section for manifest-tool’s config.'];
  if (view.encrypted) parts.push('It gives the encrypted size and SHA-256 (encrypted-raw).');
  if (!view.filePathKnown) parts.push('Fill in file-path: the path of the file on this computer.');
  return parts.join(' ');
}

export const ENCRYPTED_NOTE =
  'Encrypted image: the copy gives the encrypted datafile’s size and SHA-256 (manifest-tool’s encrypted-raw format).';
