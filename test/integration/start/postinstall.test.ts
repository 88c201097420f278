import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from '../cli/cli-fixture';

const root = resolve(import.meta.dirname, '../../..');

// The root postinstall in a project copy. With keytar dropped by npm and no libsecret-1-dev
// (pkg-config searches an empty path), a user who is not root gets the exact command. The root
// path (apt-get, then npm install) runs in scripts/fresh-clone-check.sh, in a fresh chroot.
let project = '';
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'firmdrop-postinstall-'));
  chmodSync(project, 0o755); // readable by the unprivileged user below
  for (const script of ['postinstall.mjs', 'keytar-check.mjs']) {
    cpSync(join(root, 'scripts', script), join(project, 'scripts', script));
  }
  chmodSync(join(project, 'scripts'), 0o755);
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

function postinstall(opts: { uid?: number; env?: Record<string, string | undefined> } = {}) {
  return spawnSync(process.execPath, [join(project, 'scripts', 'postinstall.mjs')], {
    cwd: project,
    encoding: 'utf8',
    env: childEnv(opts.env),
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
  });
}

describe('npm postinstall (keytar, the OS keychain module)', () => {
  it('not root and keytar missing: says what happened and prints the exact command', () => {
    rmSync(join(project, 'node_modules'), { recursive: true, force: true });
    mkdirSync(join(project, 'node_modules'));
    const r = postinstall({ uid: 65534, env: { PKG_CONFIG_LIBDIR: '/nonexistent' } });
    expect(r.status).toBe(0); // the install itself goes on
    expect(r.stderr).toContain(
      "firmdrop postinstall: keytar (the OS keychain module) did not install: Error: Cannot find module 'keytar'",
    );
    expect(r.stderr).toContain('FIRMDROP_API_KEY still works');
    expect(r.stderr).toMatch(
      /^firmdrop postinstall: Run: sudo apt-get install -y libsecret-1-dev && npm install$/m,
    );
  });

  it('keytar loads: says nothing', () => {
    rmSync(join(project, 'node_modules'), { recursive: true, force: true });
    symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'));
    const r = postinstall();
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
