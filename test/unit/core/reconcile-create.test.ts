import { describe, expect, it } from 'vitest';
import {
  reconcileCreate,
  reconcileSmallPost,
  type CreateReconcile,
  type FoundImage,
  type FoundJob,
  type SmallPostReconcile,
} from '../../../src-main/core/reconcile-create';

const job = (over: Partial<FoundJob> = {}): FoundJob => ({
  id: 'j1',
  name: 'fw',
  completed: false,
  chunkCount: 0,
  ...over,
});

describe('reconcileCreate', () => {
  it.each<[string, FoundJob[], CreateReconcile]>([
    ['no job: create', [], { kind: 'create' }],
    [
      'only jobs with other names (a loose filter): create',
      [job({ name: 'FW' }), job({ name: 'fw (2)' })],
      { kind: 'create' },
    ],
    ['one open empty job: adopt it', [job()], { kind: 'adopt', jobId: 'j1' }],
    [
      'one open empty job among other names: adopt it',
      [job({ id: 'x', name: 'fw2' }), job({ id: 'j9' })],
      { kind: 'adopt', jobId: 'j9' },
    ],
  ])('%s', (_label, found, expected) => {
    expect(reconcileCreate('fw', found)).toEqual(expected);
  });

  it.each<[string, FoundJob[], string]>([
    [
      'a job with chunks we did not send',
      [job({ chunkCount: 2 })],
      'already holds 2 chunk(s) that this upload did not send',
    ],
    ['a job with a single chunk', [job({ chunkCount: 1 })], 'already holds 1 chunk(s)'],
    ['a completed job', [job({ completed: true })], 'A completed upload job named "fw" exists'],
    [
      'two jobs with the name',
      [job({ id: 'a' }), job({ id: 'b' })],
      '2 upload jobs are named "fw"',
    ],
  ])('%s: conflict', (_label, found, reason) => {
    const result = reconcileCreate('fw', found);
    expect(result.kind).toBe('conflict');
    expect(result.kind === 'conflict' ? result.reason : '').toContain(reason);
  });
});

const SHA = 'ab'.repeat(32);
const image = (over: Partial<FoundImage> = {}): FoundImage => ({
  id: 'i1',
  name: 'fw',
  datafileSize: 1000,
  datafileChecksum: SHA,
  ...over,
});

describe('reconcileSmallPost', () => {
  const run = (found: FoundImage[]) =>
    reconcileSmallPost({ name: 'fw', size: 1000, sha256Hex: SHA, found });

  it.each<[string, FoundImage[], SmallPostReconcile]>([
    ['no image: post again', [], { kind: 'retry' }],
    [
      'only other names: post again',
      [image({ name: 'fw ' }), image({ name: 'Fw' })],
      { kind: 'retry' },
    ],
    ['same name, size and checksum: adopt', [image()], { kind: 'adopt', imageId: 'i1' }],
    [
      'checksum in upper case: adopt',
      [image({ datafileChecksum: SHA.toUpperCase() })],
      { kind: 'adopt', imageId: 'i1' },
    ],
  ])('%s', (_label, found, expected) => {
    expect(run(found)).toEqual(expected);
  });

  it('does not adopt on an empty checksum, even when ours is empty too (a caller bug)', () => {
    const result = reconcileSmallPost({
      name: 'fw',
      size: 1000,
      sha256Hex: '',
      found: [image({ datafileChecksum: '' })],
    });
    expect(result.kind).toBe('conflict');
  });

  it.each<[string, FoundImage[], string]>([
    [
      'a different checksum',
      [image({ datafileChecksum: 'cd'.repeat(32) })],
      `1000 bytes, SHA-256 ${'cd'.repeat(32)}`,
    ],
    ['a different size', [image({ datafileSize: 999 })], '999 bytes'],
    ['no checksum yet', [image({ datafileChecksum: null })], 'SHA-256 unknown'],
    ['an empty checksum', [image({ datafileChecksum: '' })], 'SHA-256 unknown'],
    ['no size', [image({ datafileSize: null })], 'unknown bytes'],
    [
      'two images with the name',
      [image({ id: 'a' }), image({ id: 'b' })],
      '2 images are named "fw"',
    ],
  ])('%s: conflict', (_label, found, reason) => {
    const result = run(found);
    expect(result.kind).toBe('conflict');
    expect(result.kind === 'conflict' ? result.reason : '').toContain(reason);
  });
});
