import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { openStore } from '../../../src-main/store';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { api } from '../../helpers/sandbox-client';
import {
  download,
  envCredentials,
  json,
  runCli,
  runInTerminal,
  sha256,
  useBuiltCli,
  useScratch,
} from './cli-fixture';

const KEY = 'ak_cli_commercial_0123456789';
const FREE_KEY = 'ak_cli_free_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({
  accounts: [
    { key: KEY, tier: '1' },
    { key: FREE_KEY, tier: '0' },
  ],
});
const scratch = useScratch();
let n = 0;

/** A fresh data dir per test, with the sandbox's commercial key from the environment. */
function session(key = KEY) {
  const dataDir = join(scratch.dir(), `data-${++n}`);
  const env = envCredentials(sandbox().url, key);
  return {
    dataDir,
    run: (...args: string[]) => runCli(cli(), ['--data-dir', dataDir, ...args], { env }),
  };
}

describe('firmdrop upload', () => {
  it('uploads a small and a multi-chunk file in one run, verified, byte-exact, as one JSON array', async () => {
    const s = session();
    const small = scratch.file('small.bin', 300 * 1024);
    const big = scratch.file('big.bin', 12 * MiB + 777);
    const r = await s.run('upload', small.path, big.path, '--chunk-size', '5', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = json(r);
    expect(out).toHaveLength(2);
    for (const [i, f] of [small, big].entries()) {
      expect(out[i]).toMatchObject({
        file: f.path,
        state: 'done',
        verified: true,
        size: f.data.length,
        sha256: f.sha256,
        datafile_size: f.data.length,
        datafile_checksum: f.sha256,
        encrypted: false,
        error: null,
      });
      expect(out[i].upload_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(out[i].firmware_image_id).toMatch(/^[0-9a-f]{32}$/);
      expect((await download(out[i].datafile)).equals(f.data)).toBe(true);
    }
    expect(out.map((o: { name: string }) => o.name)).toEqual(['small.bin', 'big.bin']);
    // The job of the chunked upload was deleted once its image was verified.
    const jobs = await api(sandbox().url, KEY, 'GET', '/v3/firmware-images/upload-jobs?limit=100');
    expect(jobs.json.data.filter((j: { name: string }) => j.name === 'big.bin')).toEqual([]);
  });

  it('prints a result line on stdout and one phase line per chunk on stderr without --json', async () => {
    const s = session();
    const f = scratch.file('phases.bin', 11 * MiB);
    const r = await s.run(
      'upload',
      f.path,
      '--chunk-size',
      '5',
      '--name',
      'fw phases',
      '--description',
      'three chunks',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^fw phases: uploaded and verified as image [0-9a-f]{32} \(11\.0 MiB, SHA-256 [0-9a-f]{64}\)\n$/,
    );
    expect(r.stdout).toContain(f.sha256);
    const lines = r.stderr.trim().split('\n');
    for (const k of [1, 2, 3]) {
      expect(lines.filter((l) => l === `fw phases: uploading chunk ${k} of 3`)).toHaveLength(1);
    }
    expect(lines).toContain('fw phases: finalising');
    expect(lines.at(-1)).toMatch(/^fw phases: done, verified \(image [0-9a-f]{32}\)$/);
    expect(r.stderr).not.toContain('\x1b['); // no terminal control codes in a log
    const images = await api(
      sandbox().url,
      KEY,
      'GET',
      '/v3/firmware-images/?name__eq=fw%20phases',
    );
    expect(images.json.data[0]).toMatchObject({ name: 'fw phases', description: 'three chunks' });
  });

  it('draws a progress bar on a terminal', async () => {
    const s = session();
    const f = scratch.file('tty.bin', 11 * MiB);
    const r = await runInTerminal(
      cli(),
      ['--data-dir', s.dataDir, 'upload', f.path, '--chunk-size', '5'],
      {
        env: envCredentials(sandbox().url, KEY),
        columns: 100,
      },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('\x1b[J'); // redrawn in place
    // eslint-disable-next-line no-control-regex -- the terminal's escape codes are what is read here
    const lines = r.stdout.split(/\r?\n|\r|\x1b\[\d*A|\x1b\[J/).filter((l) => l !== '');
    // Every line fits the terminal; the finished upload's line stays, full and done.
    for (const line of lines.filter((l) => l.includes('%'))) expect(line.length).toBeLessThan(100);
    expect(lines).toContain(
      'tty.bin  [########################]  100%  11.0 MiB/11.0 MiB acked  chunk 3 of 3  done',
    );
    expect(
      lines.some((l) =>
        /^tty\.bin {2}\[[#-]{12,24}\]\s+\d+% {2}.*acked( {2}chunk \d of 3)? {2}(queued|checking|uploading)$/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(r.stdout).toMatch(/tty\.bin: uploaded and verified as image/);
  });

  it('--quiet prints the result only', async () => {
    const s = session();
    const f = scratch.file('quiet.bin', 2000);
    const r = await s.run('upload', f.path, '--quiet');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('quiet.bin: uploaded and verified');
  });

  it('--encrypt stores the image encrypted: plain checksum verified, encrypted form downloaded', async () => {
    const s = session();
    const f = scratch.file('secret.bin', 9 * MiB);
    const r = await s.run('upload', f.path, '--encrypt', '--chunk-size', '5', '--json');
    expect(r.code).toBe(0);
    const [out] = json(r);
    expect(out).toMatchObject({ encrypted: true, verified: true, datafile_checksum: f.sha256 });
    expect(out.encrypted_datafile_size).toBeGreaterThan(f.data.length);
    const stored = await download(out.datafile);
    expect(stored.length).toBe(out.encrypted_datafile_size);
    expect(sha256(stored)).toBe(out.encrypted_datafile_checksum);
    expect(stored.equals(f.data)).toBe(false);
  });

  it('refuses a taken name before sending anything, suggesting a free one', async () => {
    const s = session();
    const f = scratch.file('taken.bin', 1000);
    expect((await s.run('upload', f.path, '--name', 'fw-1.0')).code).toBe(0);
    const again = await s.run('upload', f.path, '--name', 'fw-1.0');
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain(
      'firmdrop: The name "fw-1.0" is already used by a firmware image',
    );
    expect(again.stderr).toContain("use --name 'fw-1.0 (2)'");
    const asJson = json(await s.run('upload', f.path, '--name', 'fw-1.0', '--json'));
    expect(asJson).toEqual([
      expect.objectContaining({
        state: 'rejected',
        error_code: 'name-taken',
        suggestion: 'fw-1.0 (2)',
        upload_id: null,
      }),
    ]);
    // Only the first upload is in the journal.
    expect(json(await s.run('uploads', '--json'))).toHaveLength(1);
    // Among several files, the hint says to upload that one on its own.
    expect((await s.run('upload', f.path, '-q')).code).toBe(0);
    const other = scratch.file('other.bin', 10);
    const two = await s.run('upload', other.path, f.path);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain(`upload '${f.path}' on its own with --name 'taken.bin (2)'`);
    expect(two.stderr).toContain('1 other file was not uploaded either');
  });

  it('refuses an 11th image on a full free account with a clear message', async () => {
    const s = session(FREE_KEY);
    const files = Array.from({ length: 10 }, (_, i) => scratch.file(`q${i}.bin`, 100 + i).path);
    const first = await s.run('upload', ...files, '--json');
    expect(first.code).toBe(0);
    expect(json(first)).toHaveLength(10);
    const extra = scratch.file('q10.bin', 50);
    const r = await s.run('upload', extra.path);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'firmdrop: The account holds 10 of its 10 firmware images, so there is no room for another.',
    );
    expect(r.stderr).toContain('Delete images you no longer need');
    expect(json(await s.run('uploads', '--json'))).toHaveLength(10);
  });

  it('says the key was refused on 401, and never prints the key', async () => {
    const wrong = 'ak_wrong_key_that_must_not_leak_42';
    const s = session(wrong);
    const f = scratch.file('unauth.bin', 1000);
    const r = await s.run('upload', f.path);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^firmdrop: The API key was refused by 127\.0\.0\.1:\d+\. Check the key/,
    );
    expect(r.stdout + r.stderr).not.toContain(wrong);
    const images = await s.run('images', 'list', '--json');
    expect(images.code).toBe(1);
    expect(images.stderr).toContain('The API key was refused');
    expect(images.stdout + images.stderr).not.toContain(wrong);
  });

  it('names a missing file, a folder and an empty file, and journals nothing', async () => {
    const s = session();
    const dir = join(scratch.dir(), 'a-folder');
    mkdirSync(dir, { recursive: true });
    const empty = join(scratch.dir(), 'empty.bin');
    writeFileSync(empty, '');
    const good = scratch.file('good.bin', 500);
    const cases: Array<[string, RegExp]> = [
      [
        join(scratch.dir(), 'missing.bin'),
        /firmdrop: "missing\.bin" was not found at .*missing\.bin\./,
      ],
      [dir, /firmdrop: "a-folder" is a folder\. Choose the firmware image file inside it\./],
      [empty, /firmdrop: "empty\.bin" is empty \(0 bytes\)/],
    ];
    for (const [path, message] of cases) {
      const r = await s.run('upload', path);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    // All or nothing: one bad file among good ones stops them all, each problem named.
    const mixed = await s.run('upload', good.path, empty, dir, '--json');
    expect(mixed.code).toBe(1);
    expect(json(mixed).map((o: { state: string }) => o.state)).toEqual([
      'not-started',
      'rejected',
      'rejected',
    ]);
    expect(mixed.stderr).toMatch(
      /empty\.bin.*\n.*a-folder.*\n.*1 other file was not uploaded either/,
    );
    expect(json(await s.run('uploads', '--json'))).toEqual([]);
    const images = json(await s.run('images', 'list', '--json'));
    expect(images.some((i: { name: string }) => i.name === 'good.bin')).toBe(false);
  });

  it('exits 2 on usage errors, with a hint', async () => {
    const s = session();
    const f = scratch.file('usage.bin', 10);
    const cases: Array<[string[], RegExp]> = [
      [['upload'], /firmdrop upload: name at least one file\. Usage: firmdrop upload/],
      [['upload', f.path, f.path, '--name', 'x'], /--name applies to one file/],
      [
        ['upload', f.path, '--chunk-size', '3'],
        /--chunk-size is in MiB, a whole number from 5 to 100/,
      ],
      [
        ['upload', f.path, '--limit-rate', '10 mbit'],
        /--limit-rate is bytes per second with an optional K, M or G .*got "10 mbit"/,
      ],
      [['resume', '--limit-rate', 'fast'], /--limit-rate is bytes per second/],
      [['upload', f.path, '--bogus'], /Unknown option '--bogus'/],
      [['frobnicate'], /firmdrop: unknown command "frobnicate"/],
      [['images', 'frob'], /unknown images subcommand "frob"/],
      [['jobs', 'show'], /missing ID/],
      [['resume', 'a', 'b'], /resume takes at most one upload id/],
      [['uploads', '--state', 'sleeping'], /--state takes one of queued, checking/],
    ];
    for (const [args, message] of cases) {
      const r = await s.run(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect((await runCli(cli(), [])).code).toBe(2);
    const half = await runCli(cli(), ['upload', f.path, '--data-dir', s.dataDir], {
      env: { FIRMDROP_API_KEY: 'k' },
    });
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('FIRMDROP_API_KEY is set but FIRMDROP_API_URL is not');
    const plainHttp = await runCli(cli(), ['upload', f.path, '--data-dir', s.dataDir], {
      env: { FIRMDROP_API_KEY: 'k', FIRMDROP_API_URL: 'http://api.example.com' },
    });
    expect(plainHttp.code).toBe(2);
    expect(plainHttp.stderr).toContain(
      'FIRMDROP_API_URL: The API address must start with https://',
    );
  });

  it('without credentials or a usable account, says how to add one', async () => {
    const f = scratch.file('nocreds.bin', 10);
    const dataDir = join(scratch.dir(), 'app-data');
    // The desktop app's first start made its built-in sandbox account here (key kept by the app).
    mkdirSync(dataDir, { recursive: true });
    const store = openStore({ file: join(dataDir, 'firmdrop.db') });
    store.accounts.create({
      name: 'Sandbox (local)',
      baseUrl: 'http://127.0.0.1:9',
      region: 'custom',
      isSandbox: true,
    });
    store.close();
    const env = { DBUS_SESSION_BUS_ADDRESS: undefined };
    const r = await runCli(cli(), ['upload', f.path, '--data-dir', dataDir], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'firmdrop: No account is set up. Add one with "firmdrop accounts add NAME',
    );
    const named = await runCli(
      cli(),
      ['upload', f.path, '--data-dir', dataDir, '--account', 'sandbox (local)'],
      { env },
    );
    expect(named.code).toBe(1);
    expect(named.stderr).toContain(
      `"Sandbox (local)" is the desktop app's built-in sandbox, which only the app can use.`,
    );
  });

  it('help lists every command', async () => {
    const r = await runCli(cli(), ['help']);
    expect(r.code).toBe(0);
    for (const c of [
      'upload',
      'resume',
      'uploads',
      'uploads cancel',
      'images list',
      'images show',
      'images delete',
      'jobs list',
      'jobs show',
      'jobs chunks',
      'jobs delete',
      'accounts add',
      'accounts list',
      'accounts test',
      'accounts remove',
      'sandbox',
    ]) {
      expect(r.stdout).toContain(`  ${c}`);
    }
    expect((await runCli(cli(), ['upload', '--help'])).stdout).toMatch(/^Usage: firmdrop upload /);
  });
});
