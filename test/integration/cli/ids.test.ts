import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { envCredentials, runCli, useBuiltCli, useScratch } from './cli-fixture';

// An id that is not one ("..", a slash, a percent escape, nothing at all) is a usage error: exit 2
// and a message naming the argument, before the data folder is opened or a request is sent. The
// sandbox's request count proves nothing reached it.
const KEY = 'ak_cli_ids_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });
const scratch = useScratch();

const BAD = ['..', '.', '', '../..', 'a/b', '%2e%2e', ' x', 'x\n'];
const COMMANDS: Array<[string[], string]> = [
  [['images', 'delete'], '"firmdrop images list"'],
  [['jobs', 'show'], '"firmdrop jobs list"'],
  [['jobs', 'chunks'], '"firmdrop jobs list"'],
  [['jobs', 'delete'], '"firmdrop jobs list"'],
  [['uploads', 'cancel'], '"firmdrop uploads"'],
  [['resume'], '"firmdrop uploads"'],
];

describe('ids on the command line', () => {
  it.each(COMMANDS)('firmdrop %j <bad id>: exit 2, nothing sent', async (command, shownBy) => {
    const dataDir = join(scratch.dir(), 'never-made');
    const env = envCredentials(sandbox().url, KEY);
    const before = sandbox().stats().requests;
    for (const id of BAD) {
      const r = await runCli(cli(), ['--data-dir', dataDir, ...command, id], { env });
      expect(r.code, `${JSON.stringify(id)}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `firmdrop ${command[0]}: ${JSON.stringify(id)} is not a valid ${command[0] === 'images' || command[0] === 'jobs' ? 'ID' : 'UPLOAD_ID'} (${id === '' ? 'it is empty' : 'ids are letters, digits, "-" and "_" only'}); nothing was sent. ${shownBy} shows the ids.\n`,
      );
    }
    expect(sandbox().stats().requests).toBe(before);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a well-formed id that does not exist still goes to the service (404 → exit 1)', async () => {
    const env = envCredentials(sandbox().url, KEY);
    const before = sandbox().stats().requests;
    const dataDir = join(scratch.dir(), 'data');
    const r = await runCli(
      cli(),
      ['--data-dir', dataDir, 'jobs', 'delete', '0123456789abcdef0123456789abcdef', '--yes'],
      { env },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/not found|does not exist/i);
    expect(sandbox().stats().requests).toBeGreaterThan(before);
  });
});
