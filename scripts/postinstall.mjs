// Root postinstall: makes sure the OS keychain module (keytar) is there, or says how to get it.
//
// keytar is an optional dependency because its native build needs libsecret-1-dev, which npm
// cannot install. When the build fails, npm drops keytar and the install goes on; a root
// `preinstall` could not have helped, as npm runs it after the dependencies' install scripts.
// So, with everything else in place: as root on Debian or Ubuntu, install the missing system
// packages and install keytar again; elsewhere print the exact command. It never fails the
// install: without keytar the app and the CLI still run, and say what is missing.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keytarLoadError, missingBuildPackages } from './keytar-check.mjs';

const root = join(import.meta.dirname, '..');
// Set for the `npm install` this script runs itself, which runs this script again.
const NESTED = 'FIRMDROP_POSTINSTALL_NESTED';

function say(lines) {
  console.error(lines.map((l) => `firmdrop postinstall: ${l}`).join('\n'));
}

function debianLike() {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    const ids = /^ID(?:_LIKE)?=(.*)$/gm;
    const all = [...release.matchAll(ids)].map((m) => m[1].replace(/"/g, '')).join(' ');
    return /\b(debian|ubuntu)\b/.test(all) && !spawnSync('sh', ['-c', 'command -v apt-get']).status;
  } catch {
    return false;
  }
}

function run(cmd, args, env = process.env) {
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env }).status === 0;
}

/** `npm install` again: npm drops a failed optional dependency, so a rebuild finds nothing. */
function installAgain() {
  const npm = process.env.npm_execpath;
  const args = ['install', '--no-audit', '--no-fund'];
  const env = { ...process.env, [NESTED]: '1' };
  return npm ? run(process.execPath, [npm, ...args], env) : run('npm', args, env);
}

function main() {
  if (process.env[NESTED]) return;
  if (/\boptional\b/.test(process.env.npm_config_omit ?? '')) return;
  const why = keytarLoadError(root);
  if (why === null) return;

  const intro = `keytar (the OS keychain module) did not install: ${why}`;
  const effect =
    'Until it does, accounts cannot keep their API keys (FIRMDROP_API_KEY still works).';
  if (process.platform !== 'linux') {
    say([intro, effect, 'Install a C++ build toolchain, then run: npm install']);
    return;
  }
  const pkgs = missingBuildPackages();
  const command = pkgs.length
    ? `sudo apt-get install -y ${pkgs.join(' ')} && npm install`
    : 'npm install';
  const isRoot = process.getuid?.() === 0;
  if (pkgs.length > 0 && !(isRoot && debianLike())) {
    say([intro, effect, `Run: ${command}`]);
    return;
  }
  if (pkgs.length > 0) {
    say([intro, `Installing the system packages it needs: ${pkgs.join(' ')}`]);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (
      !run('apt-get', ['update', '-qq'], env) ||
      !run('apt-get', ['install', '-y', '-qq', ...pkgs], env)
    ) {
      say(['apt-get failed (see above).', effect, `Run: ${command}`]);
      return;
    }
  }
  say(['Installing keytar again…']);
  const still = installAgain() ? keytarLoadError(root) : 'npm install failed (see above)';
  if (still === null) {
    say(['keytar is built: accounts keep their API keys in the OS keychain.']);
  } else {
    say([`keytar still does not load: ${still}`, effect, 'Once that is fixed, run: npm install']);
  }
}

main();
