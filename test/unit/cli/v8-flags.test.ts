import { describe, expect, it } from 'vitest';
import { commands } from '../../../src-main/shells/cli/commands';
import { tunesV8 } from '../../../src-main/shells/cli/v8-flags';

describe('the CLI’s V8 flags', () => {
  it('are set for every command but the sandbox (a server the benchmarks measure clients against)', () => {
    const tuned = Object.keys(commands).filter(tunesV8);
    expect(tuned).toEqual(Object.keys(commands).filter((c) => c !== 'sandbox'));
    expect(tunesV8('help')).toBe(true);
  });
});
