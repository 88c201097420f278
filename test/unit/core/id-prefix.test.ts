import { describe, expect, it } from 'vitest';
import { MIN_ID_PREFIX, matchIdPrefix } from '../../../src-main/core/id-prefix';

const items = [
  { id: 'aaaa1111', name: 'one' },
  { id: 'aaaa2222', name: 'two' },
  { id: 'bbbb3333', name: 'three' },
  { id: 'abc', name: 'short id' },
];

describe('matchIdPrefix', () => {
  it.each([
    ['bbbb', true, { kind: 'one', item: items[2] }],
    ['aaaa1', true, { kind: 'one', item: items[0] }],
    ['aaaa', true, { kind: 'many', items: [items[0], items[1]] }],
    ['aaaa', false, { kind: 'many', items: [items[0], items[1]] }],
    ['cccc', true, { kind: 'none' }],
    ['cccc', false, { kind: 'incomplete' }],
    ['bbbb', false, { kind: 'incomplete' }],
    ['bbb', true, { kind: 'too-short' }],
    // An id shorter than the minimum, typed whole, is still that id.
    ['abc', true, { kind: 'one', item: items[3] }],
    ['aaaa2222', false, { kind: 'one', item: items[1] }],
  ] as const)('%s (complete: %s)', (text, complete, expected) => {
    expect(matchIdPrefix(items, text, complete)).toEqual(expected);
  });

  it('asks for at least four characters', () => {
    expect(MIN_ID_PREFIX).toBe(4);
  });
});
