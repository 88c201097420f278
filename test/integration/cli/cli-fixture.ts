import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

/**
 * The built CLI, as users run it: one private build per test file (other files, or a developer,
 * may be rebuilding out/cli at the same moment), removed afterwards.
 */
export function useBuiltCli(): () => string {
  const outDir = join(root, 'out', `cli-test-${randomBytes(4).toString('hex')}`);
  beforeAll(async () => {
    await promisify(execFile)(
      'npx',
      [
        'vite',
        'build',
        '--config',
        'vite.cli.config.mts',
        '--outDir',
        outDir,
        '--logLevel',
        'error',
      ],
      { cwd: root },
    );
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  return () => join(outDir, 'firmdrop.cjs');
}

/**
 * CLI runs in a fresh data folder per session, with the account given by FIRMDROP_API_URL/KEY
 * (nothing stored, no keychain): the common setup of the listing and id tests.
 */
export function envSessions(
  cli: () => string,
  scratch: ReturnType<typeof useScratch>,
  url: () => string,
  key: string,
): () => { dataDir: string; run: (...args: string[]) => Promise<CliResult> } {
  let n = 0;
  return () => {
    const dataDir = join(scratch.dir(), `data-${++n}`);
    const env = envCredentials(url(), key);
    return {
      dataDir,
      run: (...args: string[]) => runCli(cli(), ['--data-dir', dataDir, ...args], { env }),
    };
  };
}

/** A scratch directory for the test file: data dirs and firmware files. */
export function useScratch(): {
  dir: () => string;
  file: (name: string, bytes: number) => TestFile;
} {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'firmdrop-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir: () => dir,
    file(name, bytes) {
      const data = randomBytes(bytes);
      const path = join(dir, name);
      writeFileSync(path, data);
      return { path, data, sha256: sha256(data) };
    },
  };
}

export interface TestFile {
  path: string;
  data: Buffer;
  sha256: string;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export type Env = Record<string, string | undefined>;

/**
 * The child's environment: this one without any FIRMDROP_* variable, plus `extra` (undefined
 * removes a variable).
 */
export function childEnv(extra: Env = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FIRMDROP_')) env[k] = v;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * Credentials from the environment, and no session bus: should anything touch the keychain,
 * keytar fails at once ("Cannot autolaunch D-Bus") and so does the command.
 */
export function envCredentials(url: string, key: string): Env {
  return {
    FIRMDROP_API_URL: url,
    FIRMDROP_API_KEY: key,
    DBUS_SESSION_BUS_ADDRESS: undefined,
    DISPLAY: undefined,
  };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Env;
  /** Written to stdin, which is then closed (default: stdin is /dev/null). */
  input?: string;
}

export interface Running {
  child: ChildProcess;
  /** Resolves once stderr has a line matching `pattern`. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<string>;
  done: Promise<CliResult>;
  stderr(): string;
}

export function startCli(cli: string, args: string[], opts: RunOptions = {}): Running {
  const child = spawn(process.execPath, [cli, ...args], {
    env: childEnv(opts.env),
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (opts.input !== undefined) child.stdin?.end(opts.input);
  let stdout = '';
  let stderr = '';
  const watchers: Array<() => void> = [];
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
    [...watchers].forEach((w) => w());
  });
  const done = new Promise<CliResult>((ok) =>
    child.on('close', (code, signal) => ok({ code, signal, stdout, stderr })),
  );
  return {
    child,
    done,
    stderr: () => stderr,
    waitForStderr(pattern, timeoutMs = 20_000) {
      return new Promise((ok, fail) => {
        let settled = false;
        const settle = (fn: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const i = watchers.indexOf(check);
          if (i !== -1) watchers.splice(i, 1);
          fn();
        };
        const check = () => {
          const line = stderr.split('\n').find((l) => pattern.test(l));
          if (line !== undefined) settle(() => ok(line));
        };
        const timer = setTimeout(
          () =>
            settle(() =>
              fail(
                new Error(
                  `no stderr line matched ${pattern} in ${timeoutMs} ms; stderr:\n${stderr}`,
                ),
              ),
            ),
          timeoutMs,
        );
        watchers.push(check);
        check();
        void done.then(() =>
          settle(() =>
            fail(new Error(`the CLI exited before printing ${pattern}; stderr:\n${stderr}`)),
          ),
        );
      });
    },
  };
}

export function runCli(cli: string, args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return startCli(cli, args, opts).done;
}

/** stdout parsed as the JSON document --json promises; fails with the output when it is not. */
// Tests read arbitrary fields of the CLI's JSON; a loose type keeps assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function json(result: CliResult): any {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(
      `stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
}

export async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * Runs the CLI on a real terminal (a pty from util-linux `script`), `columns` wide; resolves with
 * everything the terminal showed. `onOutput` sees it as it comes, and may answer through `write`.
 */
export function runInTerminal(
  cli: string,
  args: string[],
  opts: {
    env?: Env;
    columns?: number;
    onOutput?: (seen: string, write: (s: string) => void) => void;
  } = {},
): Promise<CliResult> {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const command = `stty cols ${opts.columns ?? 100}; ${[process.execPath, cli, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: childEnv(opts.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let seen = '';
  const write = (s: string) => child.stdin.write(s);
  child.stdout.on('data', (c: Buffer) => {
    seen += c.toString();
    opts.onOutput?.(seen, write);
  });
  return new Promise((ok) =>
    child.on('close', (code, signal) => {
      child.stdin.end();
      ok({ code, signal, stdout: seen, stderr: '' });
    }),
  );
}

export interface RunningWebApp {
  url: URL;
  pid: number;
  /** Calls one of the app's commands as the browser page does; resolves with its Result. */
  // The Result's value is whatever the channel returns; a loose type keeps assertions readable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  invoke(channel: string, arg?: unknown): Promise<any>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * `firmdrop web` on `dataDir`, as a user starts it: resolves once it printed its URL (with the
 * per-run token) on stdout. Its keychain is a service of its own, never the user's.
 */
export async function startWebApp(cli: string, dataDir: string): Promise<RunningWebApp> {
  const child = spawn(process.execPath, [cli, 'web', '--data-dir', dataDir], {
    env: childEnv({
      FIRMDROP_KEYCHAIN_SERVICE: `Firmdrop-web-test-${randomBytes(6).toString('hex')}`,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const firstLine = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) done(out.split('\n')[0] as string);
    });
    void exited.then(() => fail(new Error(`firmdrop web exited early: ${stderr}`)));
  });
  const url = new URL(firstLine);
  const token = url.searchParams.get('token') ?? '';
  return {
    url,
    pid: child.pid as number,
    async invoke(channel, arg) {
      const res = await fetch(new URL(`/api/invoke/${channel}`, url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-firmdrop-token': token },
        body: JSON.stringify(arg === undefined ? [] : [arg]),
      });
      if (res.status !== 200) throw new Error(`${channel}: HTTP ${res.status} ${await res.text()}`);
      return res.json();
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
