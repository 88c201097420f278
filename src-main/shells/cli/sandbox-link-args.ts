import { CliUsageError } from './usage';

/** `--rtt`: milliseconds, written 100ms, 0.1s or bare (milliseconds). */
export function rttOption(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!m) {
    throw new CliUsageError(
      `--rtt is a round-trip time such as 100ms or 0.1s (bare numbers are milliseconds), got "${text}"`,
    );
  }
  const ms = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  if (ms > 10_000) throw new CliUsageError(`--rtt must be at most 10s, got "${text}"`);
  return ms;
}

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** `--rate`: bytes per second, with K, M or G meaning KiB/s, MiB/s or GiB/s: 40M, 500K. */
export function rateOption(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)(?:i?B)?(?:\/s)?$/i.exec(text.trim());
  const bytes = m ? Number(m[1]) * (UNITS[(m[2] ?? '').toUpperCase()] ?? NaN) : NaN;
  if (!(bytes >= 1)) {
    throw new CliUsageError(
      `--rate is bytes per second with K, M or G for KiB/s, MiB/s or GiB/s (e.g. 40M), got "${text}"`,
    );
  }
  return Math.round(bytes);
}

/** `--tls-version 1.2|1.3`: pins the sandbox's TLS version, so its handshake costs 2 or 1 RTTs. */
export function tlsVersionOption(text: string, tls: boolean): '1.2' | '1.3' {
  if (text !== '1.2' && text !== '1.3') {
    throw new CliUsageError(`--tls-version is 1.2 or 1.3, got "${text}"`);
  }
  if (!tls) throw new CliUsageError('--tls-version needs --tls: plain HTTP has no TLS handshake');
  return text;
}
