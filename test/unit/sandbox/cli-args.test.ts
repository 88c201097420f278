import { describe, expect, it } from 'vitest';
import { parseSandboxArgs } from '../../../src-main/shells/cli/commands/sandbox';
import { CliUsageError } from '../../../src-main/shells/cli/usage';

describe('firmdrop sandbox arguments', () => {
  it('reads port, repeated keys and the data directory', () => {
    expect(parseSandboxArgs([])).toEqual({});
    expect(
      parseSandboxArgs(['--port', '8443', '--key', 'a:0', '--key=b:c:2', '--data-dir', './data']),
    ).toEqual({
      port: 8443,
      accounts: [
        { key: 'a', tier: '0' },
        { key: 'b:c', tier: '2' },
      ],
      dataDir: './data',
    });
  });

  it.each([
    [['--port', '70000']],
    [['--port', '-1']],
    [['--key', ':1']],
    [['--key', 'k']],
    [['--key', 'k:9']],
    [['--unknown']],
    [['positional']],
  ])('refuses %j with a usage error', (args) => {
    expect(() => parseSandboxArgs(args)).toThrow(CliUsageError);
  });
});
