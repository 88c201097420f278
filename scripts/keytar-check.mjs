// Whether keytar (the OS keychain module, an optional dependency) loads, and which Debian/Ubuntu
// packages its native build lacks. Shared by postinstall.mjs and start.mjs.
import { spawnSync } from 'node:child_process';

/** null when keytar loads from `root`; else the first line of the error (a fresh process each time). */
export function keytarLoadError(root) {
  const r = spawnSync(process.execPath, ['-e', "require('keytar')"], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status === 0) return null;
  const line = (r.stderr ?? '').split('\n').find((l) => /Error/.test(l));
  return (line ?? `node exited with code ${r.status}`).trim();
}

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** What keytar's build needs (binding.gyp runs `pkg-config --cflags libsecret-1`) and is missing. */
export function missingBuildPackages() {
  const pkgs = [];
  if (!has('pkg-config')) pkgs.push('libsecret-1-dev', 'pkg-config');
  else if (spawnSync('pkg-config', ['--exists', 'libsecret-1']).status !== 0) {
    pkgs.push('libsecret-1-dev');
  }
  if (!has('make') || !has('g++')) pkgs.push('build-essential');
  if (!has('python3')) pkgs.push('python3');
  return pkgs;
}
