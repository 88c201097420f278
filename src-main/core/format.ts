/**
 * Human-readable figures shared by the CLI and the UI, so both say the same thing the same way.
 * Binary units (KiB, MiB, GiB) because the service's own limits are stated in MiB.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Shown where a figure is not known yet (speed before the first samples, ETA while stalled). */
export const UNKNOWN = '—';

/** "999 B", "1.0 KiB", "15.3 MiB": whole bytes below 1 KiB, else one decimal in the largest unit below 1024. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return UNKNOWN;
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let unit = 0;
  let value = bytes;
  // Step up while the value would *print* as 1024.0 or more, so 1,048,575 B reads "1.0 MiB".
  while (unit < UNITS.length - 1 && value >= 1023.95) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** Transfer speed, e.g. "12.5 MiB/s"; null (not known yet) gives UNKNOWN. */
export function formatSpeed(bytesPerSecond: number | null): string {
  if (bytesPerSecond === null || !Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) {
    return UNKNOWN;
  }
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** "45 s", "3 min 05 s", "1 h 02 min": fixed-width minor parts so a ticking value doesn't jitter. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return UNKNOWN;
  const total = Math.max(0, Math.round(seconds));
  if (total < 60) return `${total} s`;
  if (total < 3600) {
    return `${Math.floor(total / 60)} min ${pad2(total % 60)} s`;
  }
  // Hours drop the seconds: at that scale they are noise, and an ETA is not that precise anyway.
  const minutes = Math.round(total / 60);
  return `${Math.floor(minutes / 60)} h ${pad2(minutes % 60)} min`;
}

/** Whole percent, rounded down so "100%" only ever means finished; fraction clamped to [0, 1]. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction) || fraction <= 0) return '0%';
  if (fraction >= 1) return '100%';
  // Guard against floating point: 0.29 * 100 is 28.999…, which must still read 29%.
  return `${Math.floor(fraction * 100 + 1e-9)}%`;
}

/** Integer with thousands separators ("2,000"), as the service's documents write limits. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.trunc(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
