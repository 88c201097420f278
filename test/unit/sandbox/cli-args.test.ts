import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FirmdropError } from '../../../src-main/core/errors';
import { parseSandboxArgs } from '../../../src-main/shells/cli/commands/sandbox';
import { CliUsageError } from '../../../src-main/shells/cli/usage';

const dir = mkdtempSync(join(tmpdir(), 'firmdrop-sandbox-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('firmdrop sandbox arguments', () => {
  it('reads port, repeated keys and the data directory', () => {
    expect(parseSandboxArgs([], {})).toEqual({});
    expect(
      parseSandboxArgs(
        ['--port', '8443', '--key', 'a:0', '--key=b:c:2', '--data-dir', './data'],
        {},
      ),
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
    [['--rtt', 'fast']],
    [['--rtt', '20s']],
    [['--rate', '0']],
    [['--rate', '40X']],
    [['--tls-version', '1.3']],
    [['--tls', '--tls-version', '1.1']],
  ])('refuses %j with a usage error', (args) => {
    expect(() => parseSandboxArgs(args, {})).toThrow(CliUsageError);
  });

  it('--key-file: one KEY:TIER a line, blank lines and # comments skipped, CRLF too', () => {
    const path = file('keys', '# sandbox keys\r\nk-one:1\r\n\r\n  k:two:0  \n# done\n');
    expect(parseSandboxArgs(['--key-file', path], {}).accounts).toEqual([
      { key: 'k-one', tier: '1' },
      { key: 'k:two', tier: '0' },
    ]);
  });

  it('FIRMDROP_SANDBOX_KEYS: entries separated by commas, spaces or new lines', () => {
    const env = { FIRMDROP_SANDBOX_KEYS: 'e1:0, e2:1\ne3:2' };
    expect(parseSandboxArgs([], env).accounts).toEqual([
      { key: 'e1', tier: '0' },
      { key: 'e2', tier: '1' },
      { key: 'e3', tier: '2' },
    ]);
    expect(parseSandboxArgs([], { FIRMDROP_SANDBOX_KEYS: '  ' })).toEqual({});
  });

  it('every source counts: --key, then --key-file, then the environment', () => {
    const path = file('one', 'from-file:1\n');
    const opts = parseSandboxArgs(['--key', 'typed:0', '--key-file', path], {
      FIRMDROP_SANDBOX_KEYS: 'from-env:2',
    });
    expect(opts.accounts?.map((a) => a.key)).toEqual(['typed', 'from-file', 'from-env']);
  });

  it('a bad line or entry is named by its number, never shown (it may hold a key)', () => {
    const path = file('bad', 'good:1\nsecret-without-tier\n');
    expect(() => parseSandboxArgs(['--key-file', path], {})).toThrow(
      new CliUsageError(
        `--key-file ${path}: line 2 is not KEY:TIER with TIER free, commercial or partner (or 0, 1, 2) (one key per line; # starts a comment)`,
      ),
    );
    let err: unknown;
    try {
      parseSandboxArgs([], { FIRMDROP_SANDBOX_KEYS: 'ok:1,secret-value:7' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliUsageError);
    expect((err as Error).message).toContain('FIRMDROP_SANDBOX_KEYS: entry 2 is not KEY:TIER');
    expect((err as Error).message).not.toContain('secret-value');
  });

  it('an empty key file is a usage error; a missing one says it could not be read', () => {
    expect(() => parseSandboxArgs(['--key-file', file('empty', '# nothing\n')], {})).toThrow(
      /holds no KEY:TIER line/,
    );
    const missing = join(dir, 'missing');
    let err: unknown;
    try {
      parseSandboxArgs(['--key-file', missing], {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FirmdropError);
    expect((err as FirmdropError).code).toBe('file-unreadable');
    expect((err as FirmdropError).message).toBe(
      `--key-file ${missing} could not be read (ENOENT). Give a file with one KEY:TIER per line.`,
    );
  });

  it('reads the link model: --tls, --tls-version, --rtt in ms or s, --rate with K/M/G as KiB/MiB/GiB', () => {
    expect(
      parseSandboxArgs(['--tls', '--tls-version', '1.2', '--rtt', '100ms', '--rate', '40M'], {}),
    ).toEqual({ tls: true, tlsVersion: '1.2', latencyMs: 100, bandwidthBytesPerSec: 40 * 2 ** 20 });
    expect(parseSandboxArgs(['--rtt', '0.2s', '--rate', '500K'], {})).toEqual({
      latencyMs: 200,
      bandwidthBytesPerSec: 500 * 1024,
    });
    expect(parseSandboxArgs(['--rtt', '20', '--rate', '1.5GiB/s'], {})).toEqual({
      latencyMs: 20,
      bandwidthBytesPerSec: 1.5 * 2 ** 30,
    });
    expect(() => parseSandboxArgs(['--tls-version', '1.3'], {})).toThrow(
      /--tls-version needs --tls/,
    );
  });
});
