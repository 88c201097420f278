// Runs inside a private D-Bus session with an unlocked gnome-keyring (see keychain-hang.test.ts):
// stores an account's key with the built CLI, stops the keyring daemon (SIGSTOP: it keeps our
// requests and never answers), then runs a command that reads the key and times what happens.
// Usage: node keychain-hang-child.mjs '<json>'; prints one JSON line of results.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const { cli, dataDir, url, key, runDir } = JSON.parse(process.argv[2] ?? '{}');

function run(args, input) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [cli, '--data-dir', dataDir, ...args], {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (input !== undefined) child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    let firstStderrMs = null;
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => {
      firstStderrMs ??= Date.now() - started;
      stderr += c;
    });
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, firstStderrMs, exitMs: Date.now() - started }),
    );
  });
}

/** The pid owning org.freedesktop.secrets on this session bus (the keyring daemon). */
function secretServicePid() {
  const out = execFileSync('dbus-send', [
    '--session',
    '--print-reply',
    '--dest=org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus.GetConnectionUnixProcessID',
    'string:org.freedesktop.secrets',
  ]).toString();
  return Number(/uint32 (\d+)/.exec(out)?.[1]);
}

/** Processes of this session (by their XDG_RUNTIME_DIR) that have keytar on their command line. */
function keytarProcesses() {
  const found = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (cmdline.includes('keytar') && environ.includes(`XDG_RUNTIME_DIR=${runDir}`)) {
        found.push(Number(pid));
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

const add = await run(['accounts', 'add', 'kc', '--region', url], `${key}\n`);
const daemon = secretServicePid();
process.kill(daemon, 'SIGSTOP');
let hung;
let leftover;
try {
  hung = await run(['accounts', 'test', 'kc']);
  await new Promise((r) => setTimeout(r, 300));
  leftover = keytarProcesses();
} finally {
  process.kill(daemon, 'SIGCONT');
}
process.stdout.write(`${JSON.stringify({ add, hung, leftover })}\n`);
