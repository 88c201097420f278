/**
 * The life of one upload as the user sees it. Every way back into work (resume, retry, network
 * back, found interrupted at start) goes through `queued` and then `checking`, because after any
 * stop the server is asked what it holds before another byte is sent.
 */
import { FirmdropError } from './errors';

export const UPLOAD_STATES = [
  'queued', // waiting for a slot in the queue
  'checking', // file, account and name checks; on resume, reconciling with the server
  'hashing', // reading the file for digests before sending (when the path needs them first)
  'uploading', // bytes moving: the single POST, or job chunks
  'finalising', // the completing chunk is sent; waiting for the job's image id
  'verifying', // comparing the image's size and SHA-256 with the file's
  'done',
  'paused', // stopped by the user; nothing moves until resumed
  'waiting-network', // stopped by the network; resumes by itself when it comes back
  'failed', // stopped by an error; the user may retry
  'cancelled', // stopped for good by the user
  'interrupted', // found mid-way at start-up (crash, quit, power loss)
] as const;
export type UploadState = (typeof UPLOAD_STATES)[number];

export const UPLOAD_EVENTS = [
  'start',
  'hash',
  'upload',
  'finalise',
  'verify',
  'succeed',
  'fail',
  'pause',
  'resume',
  'retry',
  'cancel',
  'network-lost',
  'network-back',
  'interrupt',
  // A transient failure (5xx, 429, a lost answer): ask the server again before sending more.
  'recheck',
] as const;
export type UploadEvent = (typeof UPLOAD_EVENTS)[number];

// Shared rows of the table: what every working state may do besides moving forward.
const stop = { fail: 'failed', interrupt: 'interrupted', recheck: 'checking' } as const;
const userStop = { pause: 'paused', cancel: 'cancelled' } as const;

/** The whole transition table: a missing entry is a forbidden transition. */
export const TRANSITIONS: Readonly<Record<UploadState, Partial<Record<UploadEvent, UploadState>>>> =
  {
    queued: { start: 'checking', ...userStop },
    checking: {
      hash: 'hashing',
      upload: 'uploading',
      finalise: 'finalising', // reconcile found every data chunk on the server
      verify: 'verifying', // reconcile found the job completed
      'network-lost': 'waiting-network',
      ...stop,
      ...userStop,
    },
    hashing: { upload: 'uploading', ...stop, ...userStop },
    uploading: {
      finalise: 'finalising',
      verify: 'verifying', // the single POST returns the image itself
      'network-lost': 'waiting-network',
      ...stop,
      ...userStop,
    },
    // No pause or cancel once the completing chunk is out: it cannot be unsent, and the image may
    // already exist. The user can delete the image afterwards.
    finalising: { verify: 'verifying', 'network-lost': 'waiting-network', ...stop },
    verifying: { succeed: 'done', 'network-lost': 'waiting-network', ...stop },
    done: {},
    paused: { resume: 'queued', cancel: 'cancelled' },
    'waiting-network': {
      'network-back': 'queued',
      retry: 'queued', // "try now" without waiting for the network check
      fail: 'failed',
      interrupt: 'interrupted',
      ...userStop,
    },
    failed: { retry: 'queued', cancel: 'cancelled' },
    cancelled: {},
    interrupted: { resume: 'queued', cancel: 'cancelled', fail: 'failed' },
  };

/** The state after `event`, or null when the table forbids it. */
export function nextState(state: UploadState, event: UploadEvent): UploadState | null {
  return TRANSITIONS[state][event] ?? null;
}

const USER_ACTIONS: ReadonlySet<UploadEvent> = new Set(['pause', 'resume', 'retry', 'cancel']);

/**
 * Like nextState, but a forbidden transition throws: FirmdropError('invalid-state') with a message
 * for the user's actions (pause, resume, retry, cancel); 'internal' for the engine's own events,
 * where a forbidden one is a bug.
 */
export function transition(state: UploadState, event: UploadEvent): UploadState {
  const next = nextState(state, event);
  if (next !== null) return next;
  if (!USER_ACTIONS.has(event)) {
    throw new FirmdropError(
      'internal',
      `Upload event "${event}" is not allowed in state "${state}".`,
    );
  }
  throw new FirmdropError(
    'invalid-state',
    `Cannot ${event} an upload that is ${describe(state)}.${hint(state)}`,
  );
}

function describe(state: UploadState): string {
  return state === 'waiting-network' ? 'waiting for the network' : state;
}

function hint(state: UploadState): string {
  if (isTerminal(state)) return ' It is finished; start a new upload instead.';
  if (state === 'finalising' || state === 'verifying')
    return ' It is almost finished; wait for it.';
  return '';
}

/** No event leads anywhere from here: the row can be archived. */
export function isTerminal(state: UploadState): boolean {
  return state === 'done' || state === 'cancelled';
}

/** The engine is working on it now (it holds a queue slot). */
export function isActive(state: UploadState): boolean {
  return (
    state === 'checking' ||
    state === 'hashing' ||
    state === 'uploading' ||
    state === 'finalising' ||
    state === 'verifying'
  );
}

/** What a state becomes when the app starts and finds it in the journal. */
export function stateAfterRestart(state: UploadState): UploadState {
  return isActive(state) || state === 'waiting-network' ? 'interrupted' : state;
}

/** Button predicates for the UI, read from the table so they can never disagree with it. */
export const canPause = (s: UploadState): boolean => nextState(s, 'pause') !== null;
export const canResume = (s: UploadState): boolean => nextState(s, 'resume') !== null;
export const canCancel = (s: UploadState): boolean => nextState(s, 'cancel') !== null;
export const canRetry = (s: UploadState): boolean => nextState(s, 'retry') !== null;
