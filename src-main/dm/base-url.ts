import { FirmdropError } from '../core/errors';

/** The account's API base URL, checked once when a client is made. */
export function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FirmdropError(
      'invalid-input',
      `"${raw}" is not a valid URL. Use e.g. https://api.us-east-1.mbedcloud.com.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FirmdropError(
      'invalid-input',
      'The base URL must start with https:// (or http:// for a local sandbox).',
    );
  }
  // Credentials in a URL end up in logs and error messages; the key travels in a header instead.
  if (url.username || url.password || url.search || url.hash) {
    throw new FirmdropError(
      'invalid-input',
      'The base URL must not contain credentials, a query or a fragment.',
    );
  }
  return url;
}
