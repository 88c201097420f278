import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { askYesNo, confirmDecision } from '../../../src-main/shells/cli/confirm';

describe('confirmDecision', () => {
  it.each([
    [true, true, 'go'],
    [true, false, 'go'],
    [false, true, 'ask'],
    [false, false, 'refuse'],
  ] as const)('yes %s, interactive %s → %s', (yes, interactive, decision) => {
    expect(confirmDecision({ yes, interactive })).toBe(decision);
  });
});

describe('askYesNo', () => {
  async function answer(line: string | null): Promise<{ ok: boolean; shown: string }> {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c: Buffer) => (shown += c.toString()));
    const asked = askYesNo('Delete firmware image "fw" (abc)?', input, output);
    if (line === null) input.end();
    else input.write(`${line}\n`);
    return { ok: await asked, shown };
  }

  it.each([
    ['y', true],
    ['YES', true],
    [' yes ', true],
    ['n', false],
    ['', false],
    ['yep', false],
  ])('%j → %s', async (line, expected) => {
    const { ok, shown } = await answer(line);
    expect(ok).toBe(expected);
    expect(shown).toBe('Delete firmware image "fw" (abc)? [y/N] ');
  });

  it('no answer at all (stdin closed) is no', async () => {
    expect((await answer(null)).ok).toBe(false);
  });
});
