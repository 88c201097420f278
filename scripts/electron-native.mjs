// Builds a copy of better-sqlite3 against Electron's ABI in out/native/, leaving node_modules'
// Node build alone, so `npm start` and `npm test` work in either order. The Electron main process
// passes this copy to better-sqlite3's `nativeBinding` option (FIRMDROP_SQLITE_BINDING overrides it,
// unpackaged only: see src-main/shells/electron/sqlite-binding.ts).
// Needs the network that serves Electron's headers: it cannot run on the project's build machines.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
).version;
const src = join(root, 'node_modules/better-sqlite3');
const dest = join(root, 'out/native/better-sqlite3');
const binding = join(dest, 'build/Release/better_sqlite3.node');
const stamp = join(dest, '.electron-version');

if (existsSync(binding) && existsSync(stamp) && readFileSync(stamp, 'utf8') === electronVersion) {
  process.exit(0);
}
rmSync(dest, { recursive: true, force: true });
cpSync(src, dest, { recursive: true, filter: (p) => !p.startsWith(join(src, 'build')) });
console.log(`Building better-sqlite3 for Electron ${electronVersion} (one time)…`);
execFileSync(
  process.platform === 'win32' ? 'npx.cmd' : 'npx',
  [
    'node-gyp',
    'rebuild',
    `--target=${electronVersion}`,
    '--dist-url=https://electronjs.org/headers',
    '--release',
  ],
  { cwd: dest, stdio: 'inherit', env: { ...process.env, npm_config_nodedir: '' } },
);
writeFileSync(stamp, electronVersion);
