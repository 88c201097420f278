import { describe, expect, it } from 'vitest';
import { groupSummaries } from '../../../src-main/app/views';
import { uploadView } from '../renderer/uploads-fixture';

describe('groupSummaries', () => {
  it('summarises each fan-out by its targets and leaves single uploads out', () => {
    const views = [
      uploadView({
        id: 'a',
        groupId: 'g',
        fileName: 'fw-2.3.1.bin',
        phase: 'done',
        verified: true,
      }),
      uploadView({ id: 'alone', phase: 'done', verified: true }),
      uploadView({
        id: 'b',
        groupId: 'g',
        fileName: 'fw-2.3.1.bin',
        phase: 'done',
        verified: true,
      }),
      uploadView({
        id: 'c',
        groupId: 'g',
        fileName: 'fw-2.3.1.bin',
        phase: 'done',
        verified: true,
      }),
    ];
    expect(groupSummaries(views)).toEqual([
      {
        groupId: 'g',
        fileName: 'fw-2.3.1.bin',
        uploadIds: ['a', 'b', 'c'],
        targets: 3,
        verified: 3,
        failed: 0,
        cancelled: 0,
        active: 0,
        state: 'done',
        label: 'fw-2.3.1.bin → 3 accounts, 3 verified',
      },
    ]);
  });

  it('is active while any target moves, failed once none moves and one failed', () => {
    const moving = [
      uploadView({ id: 'a', groupId: 'g', fileName: 'f.bin', phase: 'done', verified: true }),
      uploadView({ id: 'b', groupId: 'g', fileName: 'f.bin', phase: 'uploading' }),
    ];
    expect(groupSummaries(moving)[0]).toMatchObject({
      state: 'active',
      label: 'f.bin → 2 accounts, 1 verified, 1 in progress',
    });
    const ended = [
      moving[0]!,
      uploadView({ id: 'b', groupId: 'g', fileName: 'f.bin', phase: 'failed' }),
    ];
    expect(groupSummaries(ended)[0]).toMatchObject({
      state: 'failed',
      failed: 1,
      label: 'f.bin → 2 accounts, 1 verified, 1 failed',
    });
  });
});
