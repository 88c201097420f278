import { FirmdropError } from './errors';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The one check of an API base URL, used where an account is added and again where a client is
 * made. It must be HTTPS: an API key sent in clear over a network is a leaked key. Plain HTTP is
 * accepted for this computer only (the local sandbox). Credentials in a URL end up in logs and
 * error messages, so the key travels in a header and the URL may carry none.
 */
export function parseBaseUrl(raw: string): URL {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FirmdropError(
      'invalid-input',
      `"${text.slice(0, 100)}" is not a URL. Enter the API address, e.g. https://api.eu-west-1.mbedcloud.com.`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new FirmdropError(
      'invalid-input',
      'Enter the API address without user name, password, query or fragment, e.g. https://api.example.com.',
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw new FirmdropError(
      'invalid-input',
      `The API address must start with https:// (plain http:// is allowed only for this computer, e.g. the local sandbox). Got ${url.protocol}//${url.host}.`,
    );
  }
  return url;
}
