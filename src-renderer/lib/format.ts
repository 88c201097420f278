import type { AccountView, UploadPhase, UploadView } from '../../src-main/app/contract';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

const count = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return count.format(n);
}

/** Binary units, as the service's 5 MiB / 100 MiB rules are binary. */
export function formatBytes(bytes: number): string {
  if (bytes < KiB) return `${bytes} B`;
  if (bytes < MiB) return `${(bytes / KiB).toFixed(1)} KiB`;
  if (bytes < GiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  return `${(bytes / GiB).toFixed(2)} GiB`;
}

export function formatSpeed(bytesPerSecond: number | null): string {
  if (bytesPerSecond === null || !Number.isFinite(bytesPerSecond) || bytesPerSecond < 0) return '—';
  if (bytesPerSecond < MiB) return `${(bytesPerSecond / KiB).toFixed(0)} KiB/s`;
  return `${(bytesPerSecond / MiB).toFixed(1)} MiB/s`;
}

export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.round(seconds);
  if (s < 1) return 'less than a second left';
  if (s < 60) return `${s} s left`;
  if (s < 3600) {
    const rest = s % 60;
    return rest ? `${Math.floor(s / 60)} min ${rest} s left` : `${s / 60} min left`;
  }
  const minutes = Math.round((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''} left`;
}

/** Whole percent, never 100 before every byte is in, never NaN. */
export function percent(done: number, total: number): number {
  if (total <= 0) return done > 0 ? 100 : 0;
  const p = Math.floor((done / total) * 100);
  return Math.min(done >= total ? 100 : 99, Math.max(0, p));
}

const PHASE_LABELS: Record<UploadPhase, string> = {
  queued: 'Queued',
  checking: 'Checking file',
  hashing: 'Reading and hashing',
  uploading: 'Uploading',
  finalising: 'Finishing on the server',
  verifying: 'Verifying SHA-256',
  done: 'Done',
  paused: 'Paused',
  'waiting-network': 'Waiting for network',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export function phaseLabel(phase: UploadPhase): string {
  return PHASE_LABELS[phase];
}

export type Tone = 'neutral' | 'active' | 'success' | 'warning' | 'danger';

export function phaseTone(phase: UploadPhase): Tone {
  switch (phase) {
    case 'done':
      return 'success';
    case 'failed':
      return 'danger';
    case 'paused':
    case 'waiting-network':
    case 'interrupted':
      return 'warning';
    case 'queued':
    case 'cancelled':
      return 'neutral';
    default:
      return 'active';
  }
}

/** The facts line under a progress bar: only what is known, in a fixed order. */
export function progressFacts(u: UploadView): string[] {
  // The percentage follows the bar (bytes on the wire); the byte count is what the server acknowledged.
  const facts = [`${percent(u.bytesSent, u.totalBytes)}%`];
  const moving = phaseTone(u.phase) === 'active';
  if (moving && u.speed !== null) facts.push(formatSpeed(u.speed));
  const eta = moving ? formatEta(u.etaSeconds) : '';
  if (eta) facts.push(eta);
  if (u.chunk) facts.push(u.chunk.label);
  facts.push(`${formatBytes(u.bytesAcked)} of ${formatBytes(u.totalBytes)} acknowledged`);
  return facts;
}

export function tierLabel(tier: string | null): string {
  switch (tier) {
    case '0':
      return 'Free tier · 10 images';
    case '1':
      return 'Commercial · 1,000 images';
    case '2':
      return 'Partner';
    case null:
      return 'Tier not known yet — test the account';
    default:
      return `Tier ${tier}`;
  }
}

const REGION_LABELS = { us: 'US', eu: 'EU', jp: 'Japan', sandbox: 'Local sandbox' } as const;

export function regionLabel(account: Pick<AccountView, 'region' | 'baseUrl'>): string {
  return account.region === 'custom' ? account.baseUrl : REGION_LABELS[account.region];
}

export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
