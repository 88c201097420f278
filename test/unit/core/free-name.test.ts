import { describe, expect, it } from 'vitest';
import { splitNumberedName, suggestFreeName } from '../../../src-main/core/free-name';
import { charCount } from '../../../src-main/core/validation';
import { catchFirmdropError } from './catch-error';

describe('splitNumberedName', () => {
  it.each([
    ['fw-1.2', 'fw-1.2', 1],
    ['fw-1.2 (2)', 'fw-1.2', 2],
    ['fw (10)', 'fw', 10],
    ['fw (0)', 'fw', 0],
    ['fw(3)', 'fw(3)', 1], // no space: part of the name
    ['(3)', '(3)', 1], // nothing before it
    ['fw (abc)', 'fw (abc)', 1],
    ['fw (-2)', 'fw (-2)', 1],
    ['fw (1234567890)', 'fw (1234567890)', 1], // too many digits to be our counter
    ['fw (2) (3)', 'fw (2)', 3],
  ])('%j → base %j, n %d', (name, b, n) => {
    expect(splitNumberedName(name)).toEqual({ base: b, n });
  });
});

describe('suggestFreeName', () => {
  it.each<[string, string[], string]>([
    ['fw-1.2', [], 'fw-1.2 (2)'],
    ['fw-1.2', ['fw-1.2 (2)'], 'fw-1.2 (3)'],
    ['fw-1.2', ['fw-1.2 (2)', 'fw-1.2 (3)', 'fw-1.2 (4)'], 'fw-1.2 (5)'],
    ['fw-1.2', ['fw-1.2 (3)'], 'fw-1.2 (2)'],
    ['fw-1.2 (2)', [], 'fw-1.2 (3)'],
    ['fw-1.2 (2)', ['fw-1.2 (3)'], 'fw-1.2 (4)'],
    ['fw (9)', [], 'fw (10)'],
    ['fw (1)', [], 'fw (2)'],
    ['fw (0)', [], 'fw (2)'],
    ['fw.bin', [], 'fw.bin (2)'], // names are not files: the suffix goes at the end
    ['fw(3)', [], 'fw(3) (2)'],
  ])('%j with %j taken → %j', (name, taken, expected) => {
    expect(suggestFreeName(name, new Set(taken))).toBe(expected);
  });

  it('never returns the name itself, even when no list shows it taken', () => {
    expect(suggestFreeName('fw', new Set())).toBe('fw (2)');
  });

  it('accepts a predicate', () => {
    const taken = (n: string) => /\((2|3)\)$/.test(n);
    expect(suggestFreeName('fw', taken)).toBe('fw (4)');
  });

  it.each([
    ['128 letters', 'a'.repeat(128), [], `${'a'.repeat(124)} (2)`],
    [
      '128 letters, (2)…(9) taken',
      'a'.repeat(128),
      range(2, 9).map((k) => `${'a'.repeat(124)} (${k})`),
      `${'a'.repeat(123)} (10)`,
    ],
    ['a cut that ends in a space', `${'a'.repeat(123)} bbbb`, [], `${'a'.repeat(123)} (2)`],
    ['128 emoji', '😀'.repeat(128), [], `${'😀'.repeat(124)} (2)`],
    ['a numbered name at the limit', `${'a'.repeat(124)} (9)`, [], `${'a'.repeat(123)} (10)`],
  ])('fits %s into 128 characters', (_label, name, taken, expected) => {
    const suggestion = suggestFreeName(name, new Set(taken));
    expect(suggestion).toBe(expected);
    expect(charCount(suggestion)).toBeLessThanOrEqual(128);
    expect(() => encodeURIComponent(suggestion)).not.toThrow(); // no split surrogate pair
  });

  it('honours a custom maximum length', () => {
    expect(suggestFreeName('abcdefgh', new Set(), { maxLength: 6 })).toBe('ab (2)');
  });

  it('gives up with name-taken after maxTries', () => {
    const err = catchFirmdropError(() => suggestFreeName('fw', () => true, { maxTries: 5 }));
    expect(err.code).toBe('name-taken');
    expect(err.message).toBe(
      '"fw" and the next 5 numbered variants are all taken. Enter a different name.',
    );
    expect(err.cliMessage).toBe(
      '"fw" and the next 5 numbered variants are all taken. Give a different name with --name NAME.',
    );
  });

  it('finds a free name among many taken ones', () => {
    const taken = new Set(range(2, 500).map((k) => `fw (${k})`));
    expect(suggestFreeName('fw', taken)).toBe('fw (501)');
  });

  it('refuses a limit with no room for the number', () => {
    expect(catchFirmdropError(() => suggestFreeName('fw', new Set(), { maxLength: 4 })).code).toBe(
      'internal',
    );
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
