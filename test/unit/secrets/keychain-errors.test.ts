import { describe, expect, it } from 'vitest';
import {
  KEYCHAIN_MESSAGES,
  KeychainError,
  classifyKeychainError,
  redact,
} from '../../../src-main/secrets';

// Raw texts as keytar reports them (measured here, see TOOLCHAIN.md, or from the platforms' docs).
describe('classifyKeychainError', () => {
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'unavailable', KEYCHAIN_MESSAGES.noBus],
    ['Could not connect: No such file or directory', 'unavailable', KEYCHAIN_MESSAGES.noBus],
    [
      'The name org.freedesktop.secrets was not provided by any .service files',
      'unavailable',
      KEYCHAIN_MESSAGES.noService,
    ],
    ['Cannot create an item in a locked collection', 'locked', KEYCHAIN_MESSAGES.locked],
    [
      'Object does not exist at path “/org/freedesktop/secrets/collection/login”',
      'locked',
      KEYCHAIN_MESSAGES.locked,
    ],
    ['User interaction is not allowed.', 'locked', KEYCHAIN_MESSAGES.locked],
    ['Something nobody expected', 'unavailable', KEYCHAIN_MESSAGES.other],
  ])('%s → %s', (raw, reason, message) => {
    const err = classifyKeychainError(new Error(raw));
    expect(err).toBeInstanceOf(KeychainError);
    expect(err).toMatchObject({
      reason,
      message,
      code: reason === 'unavailable' ? 'keychain-unavailable' : 'keychain-locked',
    });
    expect((err.cause as Error).message).toBe(raw);
  });

  it('never lets the key through, neither in the message nor in the cause', () => {
    const key = 'ak_supersecret_0123456789';
    const err = classifyKeychainError(new Error(`refused to store ${key} (locked)`), key);
    expect(err.message).not.toContain(key);
    expect((err.cause as Error).message).toBe('refused to store [redacted] (locked)');
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain(key);
  });

  it('a KeychainError is returned as is', () => {
    const e = new KeychainError('timeout', 'x');
    expect(classifyKeychainError(e)).toBe(e);
    expect(e.code).toBe('keychain-locked');
  });

  it('redact replaces every occurrence and tolerates no secret', () => {
    expect(redact('k and k', 'k')).toBe('[redacted] and [redacted]');
    expect(redact('text', undefined)).toBe('text');
    expect(redact('text', '')).toBe('text');
  });
});
