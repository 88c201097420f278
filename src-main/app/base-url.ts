import { FirmdropError } from '../core/errors';
import { REGIONS, type RegionPresetKey } from '../dm/regions';
import type { RegionLabel } from '../store';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The API base URL for a region choice. Custom URLs must be HTTPS: an API key sent in clear over
 * a network is a leaked key. Plain HTTP is accepted for loopback only (the local sandbox).
 */
export function resolveBaseUrl(
  region: RegionPresetKey | 'custom',
  custom?: string,
): { baseUrl: string; region: RegionLabel } {
  if (region !== 'custom') {
    const preset = REGIONS.find((r) => r.preset === region);
    if (!preset)
      throw new FirmdropError(
        'invalid-input',
        `Unknown region "${region}". Choose US, EU, Japan or a custom URL.`,
      );
    return { baseUrl: preset.baseUrl, region: preset.id };
  }
  const text = (custom ?? '').trim();
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
  const known = REGIONS.find((r) => new URL(r.baseUrl).host === url.host);
  return {
    baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    region: known?.id ?? 'custom',
  };
}
