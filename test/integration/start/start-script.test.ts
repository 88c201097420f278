import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, useBuiltCli } from '../cli/cli-fixture';

const root = resolve(import.meta.dirname, '../../..');
const built = useBuiltCli();

// A project as `npm install` leaves it on a machine that cannot download Electron's binary: the
// electron package without dist/ (the binary is fetched on first use), everything else as here.
// scripts/start.mjs runs in it for real and tries the download, which fails: ELECTRON_MIRROR
// points at a closed port, so the outcome is the same on a machine with internet access.
let project = '';
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'firmdrop-start-'));
  const modules = join(project, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name !== 'electron') symlinkSync(join(root, 'node_modules', name), join(modules, name));
  }
  cpSync(join(root, 'node_modules', 'electron'), join(modules, 'electron'), {
    recursive: true,
    filter: (src) => !/[\\/](dist|path\.txt)$/.test(src),
  });
  for (const script of ['start.mjs', 'keytar-check.mjs', 'electron-native.mjs']) {
    cpSync(join(root, 'scripts', script), join(project, 'scripts', script));
  }
  cpSync(dirname(built()), join(project, 'out', 'cli'), { recursive: true });
  // The built UI (npm run build); the web shell serves it from beside out/cli.
  symlinkSync(join(root, 'out', 'renderer'), join(project, 'out', 'renderer'));
  // Where a browser would be: an opener that notes the URL it was asked to open.
  mkdirSync(join(project, 'bin'));
  const opener = join(project, 'bin', 'xdg-open');
  writeFileSync(opener, `#!/bin/sh\nprintf '%s' "$1" > "${join(project, 'opened')}"\n`);
  chmodSync(opener, 0o755);
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

// What start.mjs says about the browser (the web shell's own lines mention a browser too).
const OPENED = /^(Opened it|No |xdg-open could not)/;

const started = new Set<ChildProcess>();
afterEach(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  started.clear();
});

function start(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [join(project, 'scripts', 'start.mjs')], {
    cwd: project,
    env: childEnv({
      ELECTRON_MIRROR: 'http://127.0.0.1:1/',
      electron_config_cache: join(project, 'electron-cache'),
      FIRMDROP_DATA_DIR: join(project, `data-${started.size}`),
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  const stdout = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const stderr = createInterface({ input: child.stderr })[Symbol.asyncIterator]();
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const line = async (it: AsyncIterator<string>): Promise<string> => {
    const next = await it.next();
    if (next.done) throw new Error('start.mjs closed its output');
    return next.value;
  };
  /** Reads stderr up to the first line matching `pattern`; returns that line. */
  const stderrUntil = async (pattern: RegExp): Promise<string> => {
    for (;;) {
      const l = await line(stderr);
      if (pattern.test(l)) return l;
    }
  };
  return { child, exited, nextOut: () => line(stdout), stderrUntil };
}

describe('npm start where Electron cannot be downloaded', () => {
  it('says why in one line, serves the UI through the web shell, prints the URL and opens it', async () => {
    const s = start({ DISPLAY: ':99', PATH: `${join(project, 'bin')}:${process.env.PATH}` });
    const why = await s.stderrUntil(/^The desktop app cannot start here/);
    expect(why).toMatch(
      /^The desktop app cannot start here: Electron \d+\.\d+\.\d+'s binary could not be downloaded \(.+\); set ELECTRON_MIRROR to use a mirror\. Starting the same UI in a browser:$/,
    );
    const url = new URL(await s.nextOut());
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('token')).toMatch(/^[0-9a-f]{32,}$/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<meta name="firmdrop-shell" content="web" />');

    expect(await s.stderrUntil(OPENED)).toBe('Opened it in your browser.');
    expect(readFileSync(join(project, 'opened'), 'utf8')).toBe(url.href);

    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(143);
  });

  it('without a desktop session it prints the URL and says to open it', async () => {
    const s = start({ DISPLAY: undefined, WAYLAND_DISPLAY: undefined });
    await s.stderrUntil(/^The desktop app cannot start here/);
    const url = await s.nextOut();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(await s.stderrUntil(OPENED)).toBe(
      'No desktop session here: open the URL above in a browser.',
    );
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(143);
  });

  it('with a desktop but no opener installed it says so, and the web shell goes on', async () => {
    const s = start({ DISPLAY: ':99', PATH: join(project, 'no-such-bin') });
    await s.stderrUntil(/^The desktop app cannot start here/);
    const url = new URL(await s.nextOut());
    expect(await s.stderrUntil(OPENED)).toBe('No xdg-open here: open the URL above in a browser.');
    expect((await fetch(url)).status).toBe(200);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(143);
  });
});
