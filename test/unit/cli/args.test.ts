import { describe, expect, it } from 'vitest';
import {
  chunkSizeOption,
  countOption,
  expectPositionals,
  parseCommand,
  splitCommand,
  takeWaitOption,
} from '../../../src-main/shells/cli/args';
import { CliUsageError, HelpRequested } from '../../../src-main/shells/cli/usage';

describe('cli arguments', () => {
  it('hands global options written before the command to the command', () => {
    expect(splitCommand(['--json', '--data-dir', '/d', 'upload', 'a.bin'])).toEqual({
      name: 'upload',
      args: ['--json', '--data-dir', '/d', 'a.bin'],
    });
    expect(splitCommand(['upload', '--json'])).toEqual({ name: 'upload', args: ['--json'] });
    expect(splitCommand(['--help'])).toEqual({ name: undefined, args: ['--help'] });
    expect(splitCommand([])).toEqual({ name: undefined, args: [] });
  });

  it('parses global and command options together, anywhere', () => {
    const p = parseCommand(
      ['a.bin', '--json', '--name', 'x', '-q', '--data-dir', '/d'],
      { name: { type: 'string' } },
      'syn',
    );
    expect(p.global).toEqual({ json: true, quiet: true, dataDir: '/d' });
    expect(p.values.name).toBe('x');
    expect(p.positionals).toEqual(['a.bin']);
  });

  it('turns parse mistakes into usage errors naming the synopsis, and --help into a request', () => {
    expect(() => parseCommand(['--nope'], {}, 'firmdrop x')).toThrow(CliUsageError);
    expect(() => parseCommand(['--nope'], {}, 'firmdrop x')).toThrow(
      /Unknown option '--nope'.*Usage: firmdrop x/,
    );
    expect(() => parseCommand(['--name'], { name: { type: 'string' } }, 's')).toThrow(
      CliUsageError,
    );
    expect(() => parseCommand(['-h'], {}, 's')).toThrow(HelpRequested);
  });

  it('takes --chunk-size in whole MiB from 5 to 100', () => {
    expect(chunkSizeOption(undefined)).toBeUndefined();
    expect(chunkSizeOption('5')).toBe(5 * 1024 * 1024);
    expect(chunkSizeOption('100')).toBe(100 * 1024 * 1024);
    for (const bad of ['4', '101', '5.5', 'x', '', '-5']) {
      expect(() => chunkSizeOption(bad), bad).toThrow(
        /--chunk-size is in MiB, a whole number from 5 to 100/,
      );
    }
  });

  it('checks counts and positionals', () => {
    expect(countOption('limit', '20', 100)).toBe(20);
    expect(() => countOption('limit', '0', 100)).toThrow(
      '--limit must be a whole number from 1 to 100',
    );
    expect(() => countOption('limit', '101', 100)).toThrow(CliUsageError);
    expect(expectPositionals(['a'], ['ID'], 's')).toEqual(['a']);
    expect(() => expectPositionals([], ['ID'], 's')).toThrow('missing ID. Usage: s');
    expect(() => expectPositionals(['a', 'b'], ['ID'], 's')).toThrow('unexpected argument "b"');
  });

  it.each<[string[], number | null | undefined, string[]]>([
    [['a.bin'], undefined, ['a.bin']],
    [['a.bin', '--wait'], null, ['a.bin']],
    [['--wait=90', 'a.bin'], 90_000, ['a.bin']],
    [['a.bin', '--wait=30s', '--json'], 30_000, ['a.bin', '--json']],
    [['a.bin', '--wait=15m'], 900_000, ['a.bin']],
    [['a.bin', '--wait=2h'], 7_200_000, ['a.bin']],
  ])('takes --wait out of %j: %s ms', (args, waitMs, rest) => {
    expect(takeWaitOption(args)).toEqual({ args: rest, waitMs });
  });

  it.each(['soon', '0', '-5', '1.5m', '10d', ''])(
    '--wait=%s is a usage error naming the forms',
    (v) => {
      expect(() => takeWaitOption([`--wait=${v}`])).toThrow(CliUsageError);
      expect(() => takeWaitOption([`--wait=${v}`])).toThrow(/such as 90, 30s, 15m or 2h/);
    },
  );
});

describe('--limit-rate', () => {
  it('takes a rate with K, M or G and refuses anything else in CLI words', async () => {
    const { limitRateOption } = await import('../../../src-main/shells/cli/args');
    expect(limitRateOption(undefined)).toBeUndefined();
    expect(limitRateOption('10M')).toBe(10 * 1024 * 1024);
    for (const bad of ['fast', '10 mbit', '1K', '0']) {
      expect(() => limitRateOption(bad)).toThrow(/--limit-rate .*e\.g\. --limit-rate 10M.*got "/);
    }
  });
});
