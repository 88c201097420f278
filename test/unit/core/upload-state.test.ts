import { describe, expect, it } from 'vitest';
import {
  canCancel,
  canPause,
  canResume,
  canRetry,
  isActive,
  isTerminal,
  nextState,
  stateAfterRestart,
  transition,
  UPLOAD_EVENTS,
  UPLOAD_STATES,
  type UploadEvent,
  type UploadState,
} from '../../../src-main/core/upload-state';
import { catchFirmdropError } from './catch-error';

const grid = UPLOAD_STATES.flatMap((s) => UPLOAD_EVENTS.map((e) => [s, e] as const));

describe('transitions', () => {
  // The table itself is not copied here (a copy only restates it); these check what must hold
  // of any table: transition agrees with nextState and says whose mistake a refusal is.
  it.each(grid)('%s + %s: transition follows nextState, or refuses', (state, event) => {
    const to = nextState(state, event);
    if (to !== null) {
      expect(transition(state, event)).toBe(to);
    } else {
      const err = catchFirmdropError(() => transition(state, event));
      const userAction = ['pause', 'resume', 'retry', 'cancel'].includes(event);
      expect(err.code).toBe(userAction ? 'invalid-state' : 'internal');
    }
  });

  it('reaches done from every state but cancelled, and a terminal state from every state', () => {
    const reach = (from: UploadState): Set<UploadState> => {
      const seen = new Set<UploadState>([from]);
      const todo = [from];
      while (todo.length > 0) {
        const s = todo.pop()!;
        for (const e of UPLOAD_EVENTS) {
          const n = nextState(s, e);
          if (n !== null && !seen.has(n)) {
            seen.add(n);
            todo.push(n);
          }
        }
      }
      return seen;
    };
    for (const s of UPLOAD_STATES) {
      expect(reach(s).has('done')).toBe(s !== 'cancelled');
      expect([...reach(s)].some(isTerminal)).toBe(true);
    }
  });

  it('enters done only through verification', () => {
    const into = grid.filter(([s, e]) => nextState(s, e) === 'done').map(([s]) => s);
    expect(into).toEqual(['verifying']);
  });
});

describe('messages for refused user actions', () => {
  it.each<[UploadState, UploadEvent, string]>([
    [
      'done',
      'pause',
      'Cannot pause an upload that is done. It is finished; start a new upload instead.',
    ],
    [
      'cancelled',
      'resume',
      'Cannot resume an upload that is cancelled. It is finished; start a new upload instead.',
    ],
    [
      'finalising',
      'cancel',
      'Cannot cancel an upload that is finalising. It is almost finished; wait for it.',
    ],
    [
      'verifying',
      'pause',
      'Cannot pause an upload that is verifying. It is almost finished; wait for it.',
    ],
    ['uploading', 'retry', 'Cannot retry an upload that is uploading.'],
    ['waiting-network', 'resume', 'Cannot resume an upload that is waiting for the network.'],
  ])('%s + %s', (state, event, message) => {
    expect(catchFirmdropError(() => transition(state, event)).message).toBe(message);
  });

  it('names the state and event of an engine bug', () => {
    expect(catchFirmdropError(() => transition('done', 'upload')).message).toBe(
      'Upload event "upload" is not allowed in state "done".',
    );
  });
});

describe('state predicates', () => {
  // state: terminal, active, pause, resume, cancel, retry, after restart
  const rows: [UploadState, boolean, boolean, boolean, boolean, boolean, boolean, UploadState][] = [
    ['queued', false, false, true, false, true, false, 'queued'],
    ['checking', false, true, true, false, true, false, 'interrupted'],
    ['hashing', false, true, true, false, true, false, 'interrupted'],
    ['uploading', false, true, true, false, true, false, 'interrupted'],
    ['finalising', false, true, false, false, false, false, 'interrupted'],
    ['verifying', false, true, false, false, false, false, 'interrupted'],
    ['done', true, false, false, false, false, false, 'done'],
    ['paused', false, false, false, true, true, false, 'paused'],
    ['waiting-network', false, false, true, false, true, true, 'interrupted'],
    ['failed', false, false, false, false, true, true, 'failed'],
    ['cancelled', true, false, false, false, false, false, 'cancelled'],
    ['interrupted', false, false, false, true, true, false, 'interrupted'],
  ];

  it('covers every state', () => {
    expect(rows.map((r) => r[0]).sort()).toEqual([...UPLOAD_STATES].sort());
  });

  it.each(rows)(
    '%s: terminal %s, active %s, pause %s, resume %s, cancel %s, retry %s, after restart %s',
    (s, terminal, active, pause, resume, cancel, retry, restart) => {
      expect([
        isTerminal(s),
        isActive(s),
        canPause(s),
        canResume(s),
        canCancel(s),
        canRetry(s),
        stateAfterRestart(s),
      ]).toEqual([terminal, active, pause, resume, cancel, retry, restart]);
    },
  );
});
