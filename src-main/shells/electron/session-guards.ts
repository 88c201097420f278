import type { Session } from 'electron';

/**
 * The window shows only Firmdrop's own bundle and needs no web permission (camera, notifications,
 * clipboard read, geolocation, HID, …). Requests are refused, and so are checks: Chromium asks the
 * check handler, not the request handler, for permissions it grants without a prompt, and with no
 * check handler Electron answers "granted".
 */
export function refusePermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
): void {
  session.setPermissionRequestHandler((_wc, _permission, done) => done(false));
  session.setPermissionCheckHandler(() => false);
}
