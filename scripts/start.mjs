// `npm start` (after `npm run build`): the desktop app when Electron can run here; otherwise the
// same UI through the web shell (`firmdrop web`), with its URL printed and opened in a browser.
// Electron's binary is downloaded on first use (from GitHub, or ELECTRON_MIRROR), and its
// better-sqlite3 copy needs Electron's headers; offline machines and some mirrors have neither,
// and electron-vite then only said "Error: Electron uninstall".
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { keytarLoadError, missingBuildPackages } from './keytar-check.mjs';

const root = join(import.meta.dirname, '..');
const electronDir = join(root, 'node_modules', 'electron');

/** The first line of a failed step's stderr that says something (a stack's top line). */
function firstLine(text, fallback) {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('at '));
  return line ?? fallback;
}

/** Electron's binary as its package installs it: `path.txt` names it under `dist/`. */
function electronInstalled() {
  try {
    const exe = readFileSync(join(electronDir, 'path.txt'), 'utf8');
    return existsSync(join(electronDir, 'dist', exe));
  } catch {
    return false;
  }
}

/** Runs one Node step quietly; null when it worked, else why not, in one line. */
function step(script, what, hint = '') {
  const r = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8' });
  if (r.status === 0) return null;
  const detail = firstLine(`${r.stderr ?? ''}${r.error?.message ?? ''}`, `exit code ${r.status}`);
  return `${what} (${detail})${hint}`;
}

/** null when the desktop app can start; else the one-line reason it cannot. */
function whyNoElectron() {
  if (!existsSync(join(electronDir, 'package.json')))
    return 'the electron package is not installed';
  const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  if (!electronInstalled()) {
    console.error(`Downloading Electron ${version} (once)…`);
    const why = step(
      join(electronDir, 'install.js'),
      `Electron ${version}'s binary could not be downloaded`,
      '; set ELECTRON_MIRROR to use a mirror',
    );
    if (why) return why;
  }
  return step(
    join(root, 'scripts', 'electron-native.mjs'),
    'better-sqlite3 could not be built for Electron (its headers could not be downloaded)',
  );
}

/** The platform's "open this URL" command, or null where there is no desktop to open it on. */
function opener(url) {
  if (process.platform === 'darwin') return ['open', [url]];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return ['xdg-open', [url]];
  return null;
}

function openBrowser(url) {
  const cmd = opener(url);
  if (!cmd) {
    console.error('No desktop session here: open the URL above in a browser.');
    return;
  }
  const child = spawn(cmd[0], cmd[1], { stdio: 'ignore' });
  child.on('error', () => console.error(`No ${cmd[0]} here: open the URL above in a browser.`));
  child.on('exit', (code) =>
    console.error(
      code === 0
        ? 'Opened it in your browser.'
        : `${cmd[0]} could not open a browser (exit code ${code}): open the URL above yourself.`,
    ),
  );
}

function noteKeychain() {
  const why = keytarLoadError(root);
  if (why === null) return;
  const pkgs = process.platform === 'linux' ? missingBuildPackages() : [];
  const fix = pkgs.length
    ? `sudo apt-get install -y ${pkgs.join(' ')} && npm install`
    : 'npm install';
  console.error(
    `Note: the OS keychain module (keytar) is not installed, so accounts cannot keep API keys; run: ${fix}`,
  );
}

function runWebShell(reason) {
  console.error(`The desktop app cannot start here: ${reason}. Starting the same UI in a browser:`);
  const cli = join(root, 'out', 'cli', 'firmdrop.cjs');
  const web = spawn(process.execPath, [cli, 'web', ...process.argv.slice(2)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: web.stdout });
  lines.once('line', (url) => {
    console.log(url);
    openBrowser(url);
    lines.on('line', (line) => console.log(line));
  });
  // Ctrl+C reaches the whole process group, the web shell included; SIGTERM is sent to us alone.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => web.kill('SIGTERM'));
  web.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGTERM' ? 143 : 1)));
}

function runElectron() {
  const bin = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const app = spawn(process.execPath, [bin, 'preview', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  });
  app.on('exit', (code) => process.exit(code ?? 1));
}

noteKeychain();
const why = whyNoElectron();
if (why) runWebShell(why);
else runElectron();
