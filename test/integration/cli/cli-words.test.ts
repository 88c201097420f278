import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { envCredentials, json, runCli, useBuiltCli, useScratch } from './cli-fixture';

// Errors reach the command line in its own words (flags and commands, not fields and buttons),
// each clause once; the environment key's account is shown as `env (host)`.
const KEY = 'ak_cli_words_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });
const scratch = useScratch();
let n = 0;

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}

describe('CLI words', () => {
  it('an unreachable host is said once, with one piece of advice', async () => {
    const port = await closedPort();
    const r = await runCli(
      cli(),
      [
        '--data-dir',
        join(scratch.dir(), `data-${++n}`),
        'accounts',
        'add',
        'lab',
        '--region',
        `http://127.0.0.1:${port}`,
      ],
      { input: `${KEY}\n`, env: { DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined } },
    );
    expect(r).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `firmdrop: 127.0.0.1:${port} could not be reached: connection refused. Check the region or URL, the network and any proxy setting.\n`,
    });
  });

  it('a bad name names the flag, not a field to fill in', async () => {
    const dataDir = join(scratch.dir(), `data-${++n}`);
    const env = envCredentials(sandbox().url, KEY);
    const f = scratch.file('words.bin', 100);
    const r = await runCli(cli(), ['--data-dir', dataDir, 'upload', f.path, '--name', ' '], {
      env,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'firmdrop: Name is empty. Give a name with --name NAME, or leave --name out to use the file name.\n',
    );
    const asJson = json(
      await runCli(cli(), ['--data-dir', dataDir, 'upload', f.path, '--name', '', '--json'], {
        env,
      }),
    );
    expect(asJson[0].error).toBe(
      'Name is empty. Give a name with --name NAME, or leave --name out to use the file name.',
    );
  });

  it('the environment key account reads env (host) in every output; JSON keeps its stable id', async () => {
    const dataDir = join(scratch.dir(), `data-${++n}`);
    const env = envCredentials(sandbox().url, KEY);
    const run = (...args: string[]) => runCli(cli(), ['--data-dir', dataDir, ...args], { env });
    const host = new URL(sandbox().url).host;
    const f = scratch.file('env-shown.bin', 100);

    const up = await run('upload', f.path);
    const list = await run('uploads');
    const tested = await run('accounts', 'test');
    for (const r of [up, list, tested]) {
      expect(r.code, r.stderr).toBe(0);
      expect(`${r.stdout}${r.stderr}`).not.toContain('env:');
    }
    expect(list.stdout).toContain(`env (${host})`);
    expect(tested.stdout).toContain(`Account "env (${host})": the API key works.`);

    const [report] = json(await run('upload', scratch.file('env-json.bin', 100).path, '--json'));
    expect(report.account).toMatch(new RegExp(`^env:${host.replace(/\./g, '\\.')}:[0-9a-f]{32}$`));
    expect(report.account_display).toBe(`env (${host})`);
    const [row] = json(await run('uploads', '--json', '--limit', '1'));
    expect(row).toMatchObject({ account: report.account, account_display: `env (${host})` });
  });
});
