import { describe, expect, it } from 'vitest';
import {
  clip,
  formatFields,
  formatTable,
  formatTime,
  shellQuote,
} from '../../../src-main/shells/cli/output';

describe('cli output', () => {
  it('lays out tables with aligned columns, right-aligned numbers and clipped cells', () => {
    const table = formatTable(
      [{ header: 'NAME', max: 6 }, { header: 'SIZE', align: 'right' }, { header: 'NOTE' }],
      [
        ['fw.bin', '1.0 KiB', ''],
        ['firmware-long.bin', '12 B', 'multi\nline'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'NAME       SIZE  NOTE',
      'fw.bin  1.0 KiB',
      'firmw…     12 B  multi line',
    ]);
  });

  it('quotes for a POSIX shell', () => {
    expect(shellQuote('fw (2)')).toBe(`'fw (2)'`);
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
  });

  it('clips to one line and formats times and fields', () => {
    expect(clip('a\n b', undefined)).toBe('a b');
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(formatTime(new Date(2026, 10, 28, 9, 5).getTime())).toBe('2026-11-28 09:05');
    expect(formatTime(null)).toBe('');
    expect(
      formatFields([
        ['id', '1'],
        ['name', 'fw'],
      ]),
    ).toBe('id:   1\nname: fw');
  });
});
