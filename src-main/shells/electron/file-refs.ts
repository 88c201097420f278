import { win32 } from 'node:path';
import { FirmdropError } from '../../core/errors';

/**
 * Turns a file ref from the preload (a real path, from webUtils.getPathForFile) into the path the
 * engine opens: null when it is no absolute path (the service then asks to drop the file again).
 *
 * UNC paths (`\\host\share\…`, `//host/share/…`, and `\\?\`, `\\.\` device paths) are refused
 * with their own message. Opening one makes Windows connect to that host and offer the user's
 * network credentials (NTLM), and an unreachable host stalls the upload; a ref is the renderer's
 * word, and the renderer must not be able to make main reach out to any machine it names.
 */
export function resolveDroppedFile(ref: string): string | null {
  if (ref.includes('\0')) return null;
  if (/^[\\/]{2}/.test(ref)) throw networkPathRefused(ref);
  return ref.startsWith('/') || /^[A-Za-z]:[\\/]/.test(ref) ? ref : null;
}

function networkPathRefused(ref: string): FirmdropError {
  const [host = '', share = ''] = ref.slice(2).split(/[\\/]/);
  const name = win32.basename(ref);
  const where =
    host === '?' || host === '.'
      ? `a Windows device path (\\\\${host}\\…)`
      : `on a network share (\\\\${host}\\${share})`;
  return new FirmdropError(
    'file-unreadable',
    `"${name}" is ${where}. Firmdrop uploads only files on this computer's own disks: copy it to a local folder, then add it again.`,
  );
}
