import { describe, expect, it } from 'vitest';
import { refusePermissions } from '../../../src-main/shells/electron/session-guards';

// Electron cannot run here: the session is a double that keeps the handlers it is given.
describe('session permissions', () => {
  it('refuses every permission request and every permission check', () => {
    let request: ((wc: unknown, permission: string, done: (ok: boolean) => void) => void) | null =
      null;
    let check: ((wc: unknown, permission: string) => boolean) | null = null;
    refusePermissions({
      setPermissionRequestHandler: (h) => void (request = h as never),
      setPermissionCheckHandler: (h) => void (check = h as never),
    });
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation']) {
      request!(null, permission, (ok) => answers.push(ok));
      answers.push(check!(null, permission));
    }
    expect(answers).toHaveLength(8);
    expect(answers.every((ok) => ok === false)).toBe(true);
  });
});
