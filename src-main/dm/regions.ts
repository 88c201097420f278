/** The public Device Management regions. An API key works only against its own region's host. */
export const REGIONS = [
  { id: 'us-east-1', preset: 'us', label: 'US', baseUrl: 'https://api.us-east-1.mbedcloud.com' },
  { id: 'eu-west-1', preset: 'eu', label: 'EU', baseUrl: 'https://api.eu-west-1.mbedcloud.com' },
  {
    id: 'ap-northeast-1',
    preset: 'jp',
    label: 'Japan',
    baseUrl: 'https://api.ap-northeast-1.mbedcloud.com',
  },
] as const;

export type RegionPresetKey = (typeof REGIONS)[number]['preset'];

/** "EU (api.eu-west-1.mbedcloud.com)" for a known region, else just the host. */
export function describeRegion(host: string): string {
  const region = REGIONS.find((r) => new URL(r.baseUrl).host === host);
  return region ? `${region.label} (${host})` : host;
}
