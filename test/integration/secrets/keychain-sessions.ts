import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CHILD = resolve(import.meta.dirname, 'keychain-child.mjs');

export type Step =
  | { op: 'get' | 'delete'; id: string; timeoutMs?: number }
  | { op: 'set'; id: string; key: string; timeoutMs?: number }
  | { op: 'probe'; timeoutMs?: number }
  | { op: 'stop-daemon' | 'cont-daemon' }
  | { op: 'sleep'; ms: number };

export interface StepResult {
  op: string;
  ms: number;
  ok: boolean;
  value?: unknown;
  name?: string;
  code?: string;
  reason?: string;
  message?: string;
  cause?: string;
}

export interface ChildRun {
  results: StepResult[];
  /** What the child wrote to stderr (its logs, and D-Bus's and gnome-keyring's). */
  stderr: string;
}

/**
 * A throw-away home for one D-Bus session and keyring: XDG dirs in a temp folder, no display
 * (so gnome-keyring can never open an unlock prompt on a developer's screen).
 */
export class KeychainHome {
  readonly dir = mkdtempSync(join(tmpdir(), 'firmdrop-keychain-'));
  readonly run = join(this.dir, 'run');
  readonly data = join(this.dir, 'data');

  constructor() {
    mkdirSync(this.run, { mode: 0o700 });
    mkdirSync(this.data, { mode: 0o700 });
  }

  env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XDG_RUNTIME_DIR: this.run,
      XDG_DATA_HOME: this.data,
    };
    for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS']) delete env[name];
    return { ...env, ...extra };
  }

  /** A session-bus config with no service directories: a bus on which nothing can be activated. */
  bareBusConfig(): string {
    const file = join(this.dir, 'bare-bus.conf');
    writeFileSync(
      file,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${this.run}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
    );
    return file;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function parse(stdout: string, stderr: string): ChildRun {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return { results: JSON.parse(line) as StepResult[], stderr };
  } catch {
    throw new Error(`keychain child printed no results.\nstdout: ${stdout}\nstderr: ${stderr}`);
  }
}

async function exec(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  try {
    const { stdout, stderr } = await run(file, args, { env, timeout: 60_000 });
    return parse(stdout, stderr);
  } catch (err) {
    const e = err as { code?: string; stdout?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') {
      throw new Error(
        `${file} is not installed; the keychain tests need dbus and gnome-keyring ` +
          '(apt-get install dbus gnome-keyring libsecret-1-dev, or run npm test).',
        { cause: err },
      );
    }
    throw new Error(`${file} failed: ${e.message}\nstdout: ${e.stdout}\nstderr: ${e.stderr}`, {
      cause: err,
    });
  }
}

const json = (steps: Step[]) => JSON.stringify(steps);

/** Node alone, with the given environment (e.g. a bus address that leads nowhere). */
export function runWithoutSession(
  home: KeychainHome,
  env: Record<string, string | undefined>,
  steps: Step[],
) {
  return exec(process.execPath, [CHILD, json(steps)], home.env(env));
}

/** Node inside a private session bus. `before` is shell run first (e.g. starting a keyring). */
export function runInSession(
  home: KeychainHome,
  steps: Step[],
  options: { before?: string; busConfig?: string } = {},
) {
  const script = `${options.before ?? ':'} && exec "$0" "$1" "$2"`;
  const args = [
    ...(options.busConfig ? [`--config-file=${options.busConfig}`] : []),
    '--',
    'sh',
    '-c',
    script,
    process.execPath,
    CHILD,
    json(steps),
  ];
  return exec('dbus-run-session', args, home.env());
}

export const UNLOCK_KEYRING = (password: string) =>
  `printf %s '${password}' | gnome-keyring-daemon --unlock --components=secrets >/dev/null`;
export const START_LOCKED = 'gnome-keyring-daemon --start --components=secrets >/dev/null';
