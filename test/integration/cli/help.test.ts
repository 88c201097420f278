import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, useBuiltCli } from './cli-fixture';

// `--version` and each command's own help, as a user meets them: the built CLI, no account, no
// network. The examples in a help text are run through the command's own option parser (with
// --help added, so nothing runs): an example with a flag the command does not take fails here.
const cli = useBuiltCli();
const pkg = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../../package.json'), 'utf8'),
) as { version: string };

const COMMANDS = ['upload', 'resume', 'uploads', 'images', 'jobs', 'accounts', 'sandbox', 'web'];

/** The example command lines of a help text, as argv (after "firmdrop"). */
function examples(help: string): string[][] {
  return help
    .split('\n')
    .filter((l) => /^ {2}(.*\| )?firmdrop /.test(l))
    .map((l) => (l.split('| ').at(-1) as string).trim().split(/\s+/).slice(1));
}

describe('firmdrop --version and help', () => {
  it.each([['--version'], ['-V']])('%s prints the version from package.json', async (flag) => {
    const r = await runCli(cli(), [flag]);
    expect(r).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it.each(COMMANDS)('firmdrop %s --help: its own usage and 1–3 examples, exit 0', async (name) => {
    const r = await runCli(cli(), [name, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: firmdrop ${name} `));
    expect(r.stdout).toContain('\nExamples:\n');
    // Not the summary: no other command's usage line.
    expect(r.stdout).not.toContain('Server side (of the chosen account');
    const found = examples(r.stdout);
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found.length).toBeLessThanOrEqual(3);
    for (const argv of found) {
      expect(argv[0], argv.join(' ')).toBe(name);
      const parsed = await runCli(cli(), [...argv, '--help']);
      expect(parsed.code, `${argv.join(' ')}: ${parsed.stderr}`).toBe(0);
      expect(parsed.stdout).toBe(r.stdout);
    }
    // -h and "firmdrop help <command>" print the same text.
    expect((await runCli(cli(), [name, '-h'])).stdout).toBe(r.stdout);
    expect((await runCli(cli(), ['help', name])).stdout).toBe(r.stdout);
  });

  it.each([
    ['images', 'show'],
    ['images', 'delete'],
    ['jobs', 'chunks'],
    ['uploads', 'cancel'],
    ['accounts', 'add'],
  ])('firmdrop %s %s --help: the group help', async (group, sub) => {
    const r = await runCli(cli(), [group, sub, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await runCli(cli(), ['help', group])).stdout);
  });

  it('firmdrop help stays a summary of every command; an unknown one is a usage error', async () => {
    const r = await runCli(cli(), ['help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: firmdrop /m);
    expect(r.stdout).not.toContain('Examples:');
    expect(r.stdout).toContain('firmdrop help <command>');
    const unknown = await runCli(cli(), ['help', 'nope']);
    expect(unknown).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'firmdrop: unknown command "nope". Run "firmdrop help" for the list.\n',
    });
  });
});
