import { chunkLabel } from '../../core/progress';
import type { UploadSnapshot } from '../../upload/types';

/** "chunk 3 of ~12", in the UI's words (core's chunkLabel); null off the job path or before it. */
export function chunkText(s: UploadSnapshot): string | null {
  return s.upload.path === 'job' && s.chunk ? chunkLabel(s.chunk) : null;
}

/** The phase as a word or two for a person: "waiting for network" rather than "waiting-network". */
export function phaseLabel(phase: UploadSnapshot['phase']): string {
  return phase === 'waiting-network' ? 'waiting for network' : phase;
}

/** "waiting for network, next try in 8 s": the phase, and when a waiting upload tries again. */
export function waitLabel(s: UploadSnapshot, now: number): string {
  const label = phaseLabel(s.phase);
  if (s.retryAt === null || isSettled(s.phase)) return label;
  const seconds = Math.max(0, Math.ceil((s.retryAt - now) / 1000));
  return `${label}, next try in ${seconds} s`;
}

/** States after which the engine does no more for this upload in this run. */
export function isSettled(phase: UploadSnapshot['phase']): boolean {
  return (
    phase === 'done' ||
    phase === 'failed' ||
    phase === 'cancelled' ||
    phase === 'interrupted' ||
    phase === 'paused'
  );
}
