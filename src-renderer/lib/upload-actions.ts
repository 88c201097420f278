import type { ContractError, UploadPhase } from '../../src-main/app/contract';

export type UploadAction = 'pause' | 'resume' | 'cancel' | 'retry';

/** The buttons an upload offers in each phase. */
export function actionsFor(phase: UploadPhase): UploadAction[] {
  switch (phase) {
    case 'queued':
    case 'checking':
    case 'hashing':
    case 'uploading':
      return ['pause', 'cancel'];
    case 'waiting-network':
      // Retry here means "try now", without waiting for the next network check.
      return ['retry', 'pause', 'cancel'];
    case 'finalising':
    case 'verifying':
      // The completing chunk is out and cannot be unsent (core/upload-state.ts): these steps
      // take seconds and offer nothing to press; the image can be deleted afterwards.
      return [];
    case 'paused':
    case 'interrupted':
      return ['resume', 'cancel'];
    case 'failed':
      return ['retry', 'cancel'];
    case 'cancelled':
    case 'done':
      return [];
  }
}

const ACTION_LABELS: Record<UploadAction, string> = {
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  retry: 'Retry',
};

/** A button's words in a phase: what pressing it does there. */
export function actionLabel(action: UploadAction, phase: UploadPhase): string {
  // A failed upload's "cancel" gives it up for good; say so rather than "Cancel".
  if (action === 'cancel' && phase === 'failed') return 'Discard';
  // A waiting upload tries again by itself; the button only brings the next try forward.
  if (action === 'retry' && phase === 'waiting-network') return 'Try now';
  return ACTION_LABELS[action];
}

export type FixKind =
  'retry' | 'retry-renamed' | 'accounts' | 'history' | 'choose-file' | 'settings';

export interface Fix {
  kind: FixKind;
  label: string;
  /** For 'history': search the upload's own name (who holds it?) rather than show everything. */
  searchName?: boolean;
  /** For 'retry-renamed': the free name the service offered. */
  name?: string;
}

/** The one action that most likely fixes a failed upload, by error code. */
export function fixFor(error: ContractError | null): Fix {
  switch (error?.code) {
    case 'unauthorized':
    case 'forbidden':
    case 'keychain-unavailable':
    case 'keychain-locked':
      return { kind: 'accounts', label: 'Check the account' };
    case 'quota-full':
      return { kind: 'history', label: 'Free space: delete old images' };
    case 'name-taken':
      // uploads:retry takes a new name: the service's suggestion fixes it in one click.
      return error.suggestion
        ? { kind: 'retry-renamed', label: `Retry as ‘${error.suggestion}’`, name: error.suggestion }
        : { kind: 'history', label: 'Find what holds the name', searchName: true };
    case 'file-missing':
    case 'file-unreadable':
    case 'file-empty':
    case 'file-changed':
      return { kind: 'choose-file', label: 'Choose the file again' };
    case 'too-large':
      return { kind: 'settings', label: 'Check chunk size' };
    default:
      return { kind: 'retry', label: 'Retry' };
  }
}
