import { describe, expect, it } from 'vitest';
import type { ContractError } from '../../../src-main/app/contract';
import { nextState, UPLOAD_STATES } from '../../../src-main/core/upload-state';
import { actionsFor, fixFor } from '../../../src-renderer/lib/upload-actions';

describe('upload actions', () => {
  it('offers the buttons that make sense in each phase', () => {
    expect(actionsFor('uploading')).toEqual(['pause', 'cancel']);
    expect(actionsFor('waiting-network')).toEqual(['retry', 'pause', 'cancel']);
    expect(actionsFor('verifying')).toEqual([]);
    expect(actionsFor('paused')).toEqual(['resume', 'cancel']);
    expect(actionsFor('interrupted')).toEqual(['resume', 'cancel']);
    expect(actionsFor('failed')).toEqual(['retry', 'cancel']);
    expect(actionsFor('cancelled')).toEqual([]);
    expect(actionsFor('done')).toEqual([]);
  });

  it('offers exactly the user actions the engine state table allows', () => {
    for (const phase of UPLOAD_STATES) {
      const allowed = (['pause', 'resume', 'cancel', 'retry'] as const).filter(
        (a) => nextState(phase, a) !== null,
      );
      expect([...actionsFor(phase)].sort(), phase).toEqual([...allowed].sort());
    }
  });

  it('points each failure at the action that fixes it', () => {
    const fix = (code: ContractError['code']) => fixFor({ code, message: 'm' }).kind;
    expect(fix('unauthorized')).toBe('accounts');
    expect(fix('keychain-locked')).toBe('accounts');
    expect(fix('quota-full')).toBe('history');
    expect(fix('file-changed')).toBe('choose-file');
    expect(fix('network')).toBe('retry');
    expect(fix('job-diverged')).toBe('retry');
    expect(fixFor({ code: 'name-taken', message: 'm', suggestion: 'fw (2)' })).toEqual({
      kind: 'retry-renamed',
      label: 'Retry as ‘fw (2)’',
      name: 'fw (2)',
    });
    expect(fixFor({ code: 'name-taken', message: 'm' })).toMatchObject({
      kind: 'history',
      searchName: true,
    });
    expect(fixFor(null).kind).toBe('retry');
  });
});
