import type { UploadPhase, UploadView } from '../../src-main/app/contract';

export interface QueueSummary {
  /** Moving bytes or about to: checking, hashing, uploading, finalising, verifying. */
  active: number;
  queued: number;
  /** Paused by the user, interrupted by a restart, or waiting for the network to come back. */
  waiting: number;
  done: number;
  failed: number;
  cancelled: number;
  /** Sum of the active uploads' smoothed speeds, bytes/s; null when none reports one yet. */
  totalSpeed: number | null;
  /** Bytes still to send for uploads that are not finished, and those bytes' total. */
  remainingBytes: number;
  unfinishedBytes: number;
}

const ACTIVE: ReadonlySet<UploadPhase> = new Set([
  'checking',
  'hashing',
  'uploading',
  'finalising',
  'verifying',
]);
const FINISHED: ReadonlySet<UploadPhase> = new Set(['done', 'failed', 'cancelled']);

export function isActive(phase: UploadPhase): boolean {
  return ACTIVE.has(phase);
}

export function isFinished(phase: UploadPhase): boolean {
  return FINISHED.has(phase);
}

export function summarize(uploads: readonly UploadView[]): QueueSummary {
  const s: QueueSummary = {
    active: 0,
    queued: 0,
    waiting: 0,
    done: 0,
    failed: 0,
    cancelled: 0,
    totalSpeed: null,
    remainingBytes: 0,
    unfinishedBytes: 0,
  };
  for (const u of uploads) {
    if (ACTIVE.has(u.phase)) {
      s.active++;
      if (u.speed !== null) s.totalSpeed = (s.totalSpeed ?? 0) + u.speed;
    } else if (u.phase === 'queued') s.queued++;
    else if (u.phase === 'paused' || u.phase === 'waiting-network' || u.phase === 'interrupted')
      s.waiting++;
    else if (u.phase === 'done') s.done++;
    else if (u.phase === 'failed') s.failed++;
    else s.cancelled++;
    if (!FINISHED.has(u.phase)) {
      s.unfinishedBytes += u.totalBytes;
      s.remainingBytes += Math.max(0, u.totalBytes - u.bytesAcked);
    }
  }
  return s;
}

/**
 * Queue order: what is moving, then what needs the technician (failed, paused, waiting), then
 * what is still to come, then what is finished. Newest first within each group.
 */
const RANK: Record<UploadPhase, number> = {
  checking: 0,
  hashing: 0,
  uploading: 0,
  finalising: 0,
  verifying: 0,
  failed: 1,
  paused: 2,
  interrupted: 2,
  'waiting-network': 2,
  queued: 3,
  done: 4,
  cancelled: 5,
};

export function queueOrder(uploads: readonly UploadView[]): UploadView[] {
  return [...uploads].sort(
    (a, b) => RANK[a.phase] - RANK[b.phase] || b.createdAt.localeCompare(a.createdAt),
  );
}

/** "2 uploading · 1 queued · 3 done · 1 failed": zero counts are left out. */
export function summaryParts(s: QueueSummary): string[] {
  const parts: string[] = [];
  if (s.active) parts.push(`${s.active} uploading`);
  if (s.queued) parts.push(`${s.queued} queued`);
  if (s.waiting) parts.push(`${s.waiting} paused or waiting`);
  if (s.done) parts.push(`${s.done} done`);
  if (s.failed) parts.push(`${s.failed} failed`);
  if (s.cancelled) parts.push(`${s.cancelled} cancelled`);
  return parts;
}
