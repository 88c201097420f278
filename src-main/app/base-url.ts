import { parseBaseUrl } from '../core/base-url';
import { FirmdropError } from '../core/errors';
import { REGIONS, type RegionPresetKey } from '../dm/regions';

export type { RegionPresetKey };
import type { RegionLabel } from '../store';

/** The API base URL for a region choice; a custom URL passes the one check (core/base-url). */
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
  const url = parseBaseUrl(custom ?? '');
  const known = REGIONS.find((r) => new URL(r.baseUrl).host === url.host);
  return {
    baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    region: known?.id ?? 'custom',
  };
}

/** The preset (us, eu, jp) whose API address this is, if any. */
export function presetFor(baseUrl: string): RegionPresetKey | undefined {
  return REGIONS.find((r) => r.baseUrl === baseUrl)?.preset;
}
