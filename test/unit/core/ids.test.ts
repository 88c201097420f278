import { describe, expect, it } from 'vitest';
import { idProblem, isId, requireChunkId, requireId, shownId } from '../../../src-main/core/ids';
import { caught } from '../dm/catch';

describe('ids', () => {
  it.each([
    ['32 hex digits, as the service hands out', '01658f9a586800000000000100100023', true],
    ['upper-case hex', '01658F9A586800000000000100100023', true],
    ['a UUID (Firmdrop upload ids)', '2f9c1b1e-7a8d-4c3e-9f21-5b6a7c8d9e0f', true],
    ['an upload id prefix', '2f9c', true],
    ['underscore', 'job_1', true],
    ['one character', 'a', true],
    ['128 characters', 'a'.repeat(128), true],
    ['empty', '', false],
    ['129 characters', 'a'.repeat(129), false],
    ['dot-dot', '..', false],
    ['dot', '.', false],
    ['a dot inside', 'a.b', false],
    ['slash', 'a/b', false],
    ['walking up', '../x', false],
    ['backslash', 'a\\b', false],
    ['percent escape of a dot', '%2e%2e', false],
    ['percent escape of a slash', 'a%2Fb', false],
    ['space', 'a b', false],
    ['leading space', ' 0165', false],
    ['tab', 'a\tb', false],
    ['newline', 'abc\n', false],
    ['query', 'a?b=1', false],
    ['fragment', 'a#b', false],
    ['colon', 'a:b', false],
    ['non-ASCII letter', 'é', false],
    ['NUL', 'a\u0000', false],
  ])('%s: %j → %s', (_label, value, ok) => {
    expect(isId(value)).toBe(ok);
    expect(idProblem(value) === null).toBe(ok);
  });

  it('says why an id is refused', () => {
    expect(idProblem('')).toBe('it is empty');
    expect(idProblem('a'.repeat(129))).toBe('it is longer than 128 characters');
    expect(idProblem('..')).toBe('ids are letters, digits, "-" and "_" only');
    expect(idProblem(42)).toBe('it is not text');
  });

  it('shows an id quoted, escaped and short', () => {
    expect(shownId('..')).toBe('".."');
    expect(shownId('\u001b[2Jx')).toBe('"\\u001b[2Jx"');
    expect(shownId('a'.repeat(50))).toBe(`"${'a'.repeat(40)}…"`);
  });

  it('requireId returns a good id and throws invalid-input naming what it was meant to be', async () => {
    expect(requireId('upload job', 'abc')).toBe('abc');
    const err = await caught(() => requireId('upload job', '..'));
    expect(err.code).toBe('invalid-input');
    expect(err.message).toBe(
      '".." is not a valid upload job id (ids are letters, digits, "-" and "_" only), so nothing was sent. Device Management upload job ids are 32 hex digits, as the lists show them.',
    );
  });

  it.each([
    [0, true],
    [1, true],
    [2 ** 40, true],
    [-1, false],
    [1.5, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    ['1', false],
  ])('chunk id %j → %s', async (value, ok) => {
    if (ok) expect(requireChunkId(value)).toBe(value);
    else expect((await caught(() => requireChunkId(value))).code).toBe('invalid-input');
  });
});
