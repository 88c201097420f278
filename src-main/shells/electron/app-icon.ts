import { join } from 'node:path';

/**
 * The window's (and, unpackaged on macOS, the Dock's) icon. It is inside the app's own folder
 * (app.asar once packaged: package.json's build.files lists it), generated from
 * resources/icon.svg by `npm run icons`. Installers take theirs from build.{mac,win,linux}.icon.
 */
export const APP_ICON_FILE = 'resources/icons/512x512.png';

export function appIconPath(appPath: string): string {
  return join(appPath, APP_ICON_FILE);
}
