import { describe, expect, it } from 'vitest';
import {
  fanOutState,
  groupEntries,
  groupSummary,
  historyRows,
  leftOut,
  quotaFullMessage,
  targetState,
} from '../../../src-renderer/lib/fan-out';
import type { TargetFacts } from '../../../src-renderer/lib/fan-out';
import { uploadView } from './uploads-fixture';

const ready = (label: string): TargetFacts => ({
  label,
  canStart: true,
  validating: false,
  problems: [],
});
const checking = (label: string): TargetFacts => ({
  label,
  canStart: false,
  validating: true,
  problems: [],
});
const taken = (label: string): TargetFacts => ({
  label,
  canStart: false,
  validating: false,
  problems: [
    { field: 'account', message: 'Quota full' },
    { field: 'name', message: 'Name taken', suggestion: 'fw (2)' },
  ],
});

describe('fan-out: a draft card across its targets', () => {
  it('tells each target apart: ready, checking, refused with the name reason first', () => {
    expect(targetState(ready('A'))).toEqual({ tone: 'ready', reason: null });
    expect(targetState(checking('A'))).toEqual({ tone: 'checking', reason: null });
    expect(targetState(taken('A'))).toEqual({ tone: 'refused', reason: 'Name taken' });
  });

  it('is ready only when every target is, and says for how many accounts', () => {
    expect(fanOutState([ready('A'), ready('B'), ready('C')], null)).toMatchObject({
      tone: 'ready',
      ready: 3,
      total: 3,
      text: 'Ready for 3 accounts',
      partial: false,
    });
    expect(fanOutState([ready('A'), checking('B')], null)).toMatchObject({
      tone: 'checking',
      partial: false,
    });
  });

  it('names every refusing target, starts nothing, and offers the others when some may go', () => {
    const s = fanOutState([ready('A'), taken('B'), ready('C')], null);
    expect(s.tone).toBe('refused');
    expect(s.refused).toEqual([{ label: 'B', reason: 'Name taken' }]);
    expect(s.text).toBe('B refuses: nothing starts · 2 of 3 ready');
    expect(s.partial).toBe(true);
    const none = fanOutState([taken('A'), taken('B')], null);
    expect(none.text).toBe('A, B refuse: nothing starts · 0 of 2 ready');
    expect(none.partial).toBe(false);
  });

  it('takes the service’s refusal at Start as a refusal of the card', () => {
    const s = fanOutState([ready('A'), ready('B')], 'B: quota full');
    expect(s).toMatchObject({ tone: 'refused', partial: true });
    expect(s.text).toBe('The service refused: nothing started');
    // One target: no partial to offer.
    expect(fanOutState([ready('A')], 'no').partial).toBe(false);
  });

  it('says a full quota by the account, and nothing while there is room', () => {
    expect(quotaFullMessage('Lab', { used: 9, limit: 10 })).toBeNull();
    expect(quotaFullMessage('Lab', { used: 10, limit: 10 })).toBe(
      'Lab has no room for another image (10 of 10 used). Delete images there in History, or untick it.',
    );
  });

  it('lists the targets a partial start left out', () => {
    expect(leftOut(['a', 'b', 'c'], ['c', 'a'])).toEqual(['b']);
  });
});

describe('fan-out: groups in the queue and the history', () => {
  const g = (id: string, accountId: string, phase = 'uploading', extra = {}) =>
    uploadView({
      id,
      accountId,
      groupId: 'g1',
      fileName: 'fw-2.3.1.bin',
      phase: phase as never,
      ...extra,
    });

  it('gathers a group where its first member stands, members in the order started', () => {
    const a = g('a', 'acc-1', 'uploading', { createdAt: '2026-01-01T00:00:01Z' });
    const b = g('b', 'acc-2', 'failed', { createdAt: '2026-01-01T00:00:00Z' });
    const lone = uploadView({ id: 'x' });
    const entries = groupEntries([lone, a, uploadView({ id: 'y' }), b]);
    expect(
      entries.map((e) =>
        e.kind === 'one' ? e.upload.id : `${e.id}:${e.members.map((m) => m.id).join(',')}`,
      ),
    ).toEqual(['x', 'g1:b,a', 'y']);
  });

  it('shows a group of which only one member is listed as that upload alone', () => {
    expect(groupEntries([g('a', 'acc-1')])).toEqual([{ kind: 'one', upload: g('a', 'acc-1') }]);
  });

  it('sums a group up in one line: the file, the accounts, how far each got', () => {
    const done = { verified: true };
    expect(
      groupSummary([
        g('a', '1', 'done', done),
        g('b', '2', 'done', done),
        g('c', '3', 'done', done),
      ]),
    ).toEqual({
      title: 'fw-2.3.1.bin → 3 accounts',
      counts: '3 verified',
      tone: 'success',
    });
    expect(
      groupSummary([g('a', '1', 'done', done), g('b', '2', 'failed'), g('c', '3', 'uploading')]),
    ).toEqual({
      title: 'fw-2.3.1.bin → 3 accounts',
      counts: '1 verified, 1 failed, 1 in progress',
      tone: 'danger',
    });
    expect(groupSummary([g('a', '1', 'paused'), g('b', '2', 'done', done)]).tone).toBe('warning');
    // Done without a confirmed checksum is not counted as verified.
    expect(groupSummary([g('a', '1', 'done'), g('b', '2', 'done', done)]).counts).toBe(
      '1 verified, 1 in progress',
    );
  });

  it('folds a group into one history row and opens it into a row per target', () => {
    const list = [
      g('a', '1', 'done', { verified: true }),
      g('b', '2', 'done', { verified: true }),
      uploadView({ id: 'z' }),
    ];
    const shut = historyRows(list, new Set());
    expect(shut.map((r) => r.kind)).toEqual(['group', 'one']);
    const open = historyRows(list, new Set(['g1']));
    expect(
      open.map((r) =>
        r.kind === 'group' ? `group:${r.summary.counts}` : `${r.kind}:${r.upload.id}`,
      ),
    ).toEqual(['group:2 verified', 'member:a', 'member:b', 'one:z']);
  });
});
