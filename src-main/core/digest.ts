/**
 * Digest spellings. The journal keeps MD5s as lowercase hex; the Content-MD5 header wants base64
 * (RFC 1864); the service reports a chunk's `hash` as hex per the guide, but the OpenAPI's own
 * filter example (`hash__eq=8FS70vXrq5y1VxAAssUMAg==`) is base64, so we read both.
 */

const HEX = /^[0-9a-f]*$/iu;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/u;

/** Hex digest → base64, e.g. for the Content-MD5 header; throws on malformed hex (a bug, not input). */
export function hexToBase64(hex: string): string {
  if (hex.length % 2 !== 0 || !HEX.test(hex)) throw new TypeError(`Not a hex digest: "${hex}"`);
  let binary = '';
  for (let i = 0; i < hex.length; i += 2)
    binary += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
  return btoa(binary);
}

/** Base64 → lowercase hex, or null when the text is not canonical padded base64. */
export function base64ToHex(b64: string): string | null {
  if (!BASE64.test(b64)) return null;
  let hex = '';
  for (const ch of atob(b64)) hex += ch.charCodeAt(0).toString(16).padStart(2, '0');
  return hex;
}

/** A 16-byte MD5 as the service may spell it (hex or base64) → lowercase hex, or null if neither. */
export function md5HexFromServer(hash: string): string | null {
  const trimmed = hash.trim();
  if (trimmed.length === 32 && HEX.test(trimmed)) return trimmed.toLowerCase();
  if (trimmed.length === 24) return base64ToHex(trimmed);
  return null;
}
