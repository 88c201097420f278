/**
 * Secrets must never reach a log line, an error message or an error's `cause` chain. Headers are
 * redacted by name; free text (server messages, low-level error messages) is scrubbed of the key.
 */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
]);

export const REDACTED = '[redacted]';

export type HeaderBag = Record<string, string | string[] | number | undefined>;

/** A copy of `headers` that is safe to log: secret-bearing headers keep their name only. */
export function redactHeaders(headers: HeaderBag): HeaderBag {
  const out: HeaderBag = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) && value !== undefined ? REDACTED : value;
  }
  return out;
}

/** Replaces every occurrence of each secret (and its Bearer form) in `text`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short "secrets" would blank out ordinary words; real API keys are long.
    if (secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Removes user:password from a URL so it can be shown (proxy URLs may embed credentials). */
export function redactUrlCredentials(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username || url.password) {
      url.username = '';
      url.password = '';
    }
    return url.toString();
  } catch {
    return '[unparseable URL]';
  }
}

/**
 * A plain-data copy of an error chain, scrubbed of secrets. Low-level errors (undici, sockets)
 * can carry references to sockets or request options; we keep only name, code and message so that
 * nothing reachable from one of our errors can reveal a header.
 */
export function sanitizeCause(err: unknown, secrets: readonly string[], depth = 0): Error {
  if (!(err instanceof Error)) {
    return new Error(scrubSecrets(String(err), secrets));
  }
  const nested =
    depth < 4 && err.cause !== undefined ? sanitizeCause(err.cause, secrets, depth + 1) : undefined;
  const copy = new Error(
    scrubSecrets(err.message, secrets),
    nested ? { cause: nested } : undefined,
  );
  copy.name = err.name;
  copy.stack = `${copy.name}: ${copy.message}`;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  }
  return copy;
}
