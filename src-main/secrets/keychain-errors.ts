import { FirmdropError } from '../core/errors';
import type { KeychainFailure } from './secret-store';

/** A keychain failure with the precise reason (FirmdropError's code is the coarser contract). */
export class KeychainError extends FirmdropError {
  override name = 'KeychainError';
  readonly reason: KeychainFailure;

  constructor(reason: KeychainFailure, message: string, options?: { cause?: unknown }) {
    super(reason === 'unavailable' ? 'keychain-unavailable' : 'keychain-locked', message, options);
    this.reason = reason;
  }
}

const ENV_HINT = 'For the command line you can set FIRMDROP_API_KEY instead.';

// keytar is an optional dependency: npm drops it when its native build fails (on Linux, for
// want of libsecret-1-dev), and the install goes on. scripts/postinstall.mjs prints the same fix.
const REINSTALL =
  process.platform === 'linux'
    ? 'Install what its build needs, then install again: sudo apt-get install -y libsecret-1-dev ' +
      'pkg-config build-essential python3 && npm install'
    : "Run npm install again in Firmdrop's folder (it needs a C++ build toolchain)";

export const KEYCHAIN_MESSAGES = {
  noBus:
    'No OS keychain is available (no D-Bus session bus, so no Secret Service). Start Firmdrop ' +
    `from a desktop session with gnome-keyring or KWallet running and unlocked. ${ENV_HINT}`,
  noService:
    'No OS keychain is available (no Secret Service on the D-Bus session). Install and unlock ' +
    `gnome-keyring or KWallet, then try again. ${ENV_HINT}`,
  notInstalled:
    'The OS keychain module (keytar) is not installed: its native build failed when npm ' +
    `installed Firmdrop. ${REINSTALL}, then start Firmdrop again. ${ENV_HINT}`,
  noModule:
    'The OS keychain library could not be loaded (on Linux it needs libsecret: install the ' +
    `libsecret-1-0 package), then start Firmdrop again. ${ENV_HINT}`,
  locked:
    'The OS keychain is locked (or has no default keyring yet). Unlock it — log in to your ' +
    'desktop session or open your keyring manager — then try again.',
  timeout: (ms: number) =>
    `The OS keychain did not answer within ${Math.round(ms / 100) / 10} s; it is probably ` +
    'waiting for you to unlock it in a system prompt. Unlock it, then try again.',
  other:
    'The OS keychain refused the request. Check that your keyring (gnome-keyring, KWallet, ' +
    `macOS Keychain, Windows Credential Manager) works and is unlocked, then try again. ${ENV_HINT}`,
} as const;

// Texts from libsecret/GLib (Linux), Security.framework (macOS) and keytar itself, as measured
// (see TOOLCHAIN.md) or documented. Order matters: the first match wins.
const PATTERNS: readonly [RegExp, KeychainFailure, string][] = [
  [
    /Cannot autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Could not connect|Failed to connect to socket/i,
    'unavailable',
    KEYCHAIN_MESSAGES.noBus,
  ],
  [
    /not provided by any \.service files|ServiceUnknown|org\.freedesktop\.secrets/i,
    'unavailable',
    KEYCHAIN_MESSAGES.noService,
  ],
  [
    /locked|Object does not exist at path|No such interface|User interaction is not allowed|prompt/i,
    'locked',
    KEYCHAIN_MESSAGES.locked,
  ],
];

/**
 * keytar itself would not load. Not found (keytar, or its built .node file) means npm never built
 * it; anything else is its native library failing to load (libsecret missing).
 */
export function keytarLoadError(err: unknown, secret?: string): KeychainError {
  const raw = redact(err instanceof Error ? err.message : String(err), secret);
  // require() says "Cannot find module", import() "Cannot find package" (ERR_MODULE_NOT_FOUND).
  const missing = /Cannot find (module|package)/.test(raw);
  return new KeychainError(
    'unavailable',
    missing ? KEYCHAIN_MESSAGES.notInstalled : KEYCHAIN_MESSAGES.noModule,
    { cause: new Error(raw) },
  );
}

/** Replaces every occurrence of the secret (if any) so no message or cause can carry it. */
export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

/**
 * Maps a raw keychain failure to a KeychainError whose message says what to do. The raw text is
 * kept only as the cause, rebuilt from a redacted copy, so the key cannot leak through it.
 */
export function classifyKeychainError(err: unknown, secret?: string): KeychainError {
  if (err instanceof KeychainError) return err;
  const raw = redact(err instanceof Error ? err.message : String(err), secret);
  const cause = new Error(raw);
  for (const [pattern, reason, message] of PATTERNS) {
    if (pattern.test(raw)) return new KeychainError(reason, message, { cause });
  }
  return new KeychainError('unavailable', KEYCHAIN_MESSAGES.other, { cause });
}
