import type { UploadPhase, UploadView } from '../../app/contract';

/** "chunk 3 of ~12", in the UI's words (the app service's label); null off the job path or before it. */
export function chunkText(s: UploadView): string | null {
  return s.path === 'job' && s.chunk ? s.chunk.label : null;
}

/** The phase as a word or two for a person: "waiting for network" rather than "waiting-network". */
export function phaseLabel(phase: UploadPhase): string {
  return phase === 'waiting-network' ? 'waiting for network' : phase;
}

/** "waiting for network, next try in 8 s": the phase, and when a waiting upload tries again. */
export function waitLabel(s: UploadView, now: number): string {
  const label = phaseLabel(s.phase);
  if (s.retryAt === null || isSettled(s.phase)) return label;
  const seconds = Math.max(0, Math.ceil((Date.parse(s.retryAt) - now) / 1000));
  return `${label}, next try in ${seconds} s`;
}

/** States after which the engine does no more for this upload in this run. */
export function isSettled(phase: UploadPhase): boolean {
  return (
    phase === 'done' ||
    phase === 'failed' ||
    phase === 'cancelled' ||
    phase === 'interrupted' ||
    phase === 'paused'
  );
}
