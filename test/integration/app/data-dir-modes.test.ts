import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchWebApp, type WebApp } from '../../../src-main/shells/web/launch';
import { openRuntime } from '../../../src-main/app/runtime';
import { memorySecrets } from '../../helpers/memory-secrets';
import { send } from '../web/http-client';

/**
 * Item 1 of issue 11: the data folder is 0700 and every file Firmdrop keeps in it 0600 — the
 * database with its -wal and -shm, the app lock, staged copies, the embedded sandbox's files —
 * for a fresh install, and for an old install (0755/0644) once Firmdrop has started again.
 */
const describeModes = process.platform === 'win32' ? describe.skip : describe;

let root = '';
let umask = 0;
const apps: WebApp[] = [];

beforeAll(() => {
  // The usual desktop umask: without explicit modes, new files would be 0644 and folders 0755.
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  rmSync(root, { recursive: true, force: true });
});

async function launch(dataDir: string): Promise<WebApp> {
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<html><head></head><body></body></html>');
  const app = await launchWebApp({
    dataDir,
    rendererDir,
    version: '0.0.0-test',
    keychain: memorySecrets(),
  });
  apps.push(app);
  return app;
}

async function stage(app: WebApp, name: string, body: string): Promise<string> {
  const res = await send(app.shell.port, {
    method: 'PUT',
    path: `/api/stage?name=${name}&size=${Buffer.byteLength(body)}`,
    headers: { 'x-firmdrop-token': app.shell.token },
    body,
  });
  expect(res.status).toBe(200);
  return (res.json() as { value: { ref: string } }).value.ref;
}

/** Every entry under dir (symlinks themselves, not followed), with its permission bits. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    const info = lstatSync(path);
    const kind = info.isSymbolicLink() ? 'link' : info.isDirectory() ? 'dir' : 'file';
    out[relative(dir, path) || '.'] = `${kind} ${(info.mode & 0o777).toString(8)}`;
    if (kind === 'dir') for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return out;
}

function notPrivate(dir: string, skip: (path: string) => boolean = () => false): string[] {
  return Object.entries(modes(dir))
    .filter(([path, mode]) => !skip(path) && !['dir 700', 'file 600'].includes(mode))
    .filter(([, mode]) => !mode.startsWith('link'))
    .map(([path, mode]) => `${path}: ${mode}`);
}

describeModes('private data on disk (0700 folders, 0600 files)', () => {
  it('a fresh install: data folder, database, -wal, -shm, app lock, staging and sandbox', async () => {
    root = mkdtempSync(join(tmpdir(), 'firmdrop-modes-'));
    const dataDir = join(root, 'data');
    const app = await launch(dataDir);
    await stage(app, 'fw-1.bin', 'firmware bytes');
    const seen = modes(dataDir);
    // The scan covers what matters: the database in WAL mode, the lock, a staged copy, the sandbox.
    for (const name of ['.', 'firmdrop.db', 'firmdrop.db-wal', 'firmdrop.db-shm', 'app.lock']) {
      expect(seen[name], name).toBeDefined();
    }
    expect(
      Object.keys(seen).some((p) => p.startsWith('staging/stg_') && p.endsWith('/fw-1.bin')),
    ).toBe(true);
    expect(Object.keys(seen).filter((p) => p.startsWith('sandbox/')).length).toBeGreaterThan(0);
    expect(notPrivate(dataDir)).toEqual([]);
  });

  it('the command line run alone (no app) creates its data folder and journal private too', async () => {
    root = mkdtempSync(join(tmpdir(), 'firmdrop-modes-'));
    const dataDir = join(root, 'cli-data');
    const rt = openRuntime({ dataDir, secrets: memorySecrets(), owner: 'cli' });
    try {
      rt.settings.set('theme', 'dark');
      expect(modes(dataDir)['firmdrop.db-wal']).toBeDefined();
      expect(notPrivate(dataDir)).toEqual([]);
    } finally {
      await rt.close();
    }
  });

  it('an old install (0755 folders, 0644 files) is made private at start; links are not followed out', async () => {
    root = mkdtempSync(join(tmpdir(), 'firmdrop-modes-'));
    const dataDir = join(root, 'data');
    const first = await launch(dataDir);
    const ref = await stage(first, 'old.bin', 'staged by an older version');
    // An upload still needs that copy (an unfinished one), so the restart keeps it.
    const store = first.app.runtime.store;
    store.uploads.createUpload({
      accountId: store.accounts.list()[0]!.id,
      filePath: first.shell.resolveStagedRef(ref)!,
      fileSize: 26,
      fileMtimeMs: 1,
      name: 'old',
      path: 'small',
    });
    await first.close();
    apps.splice(0);

    // What an older Firmdrop left: everything world-readable, a -wal and -shm on disk.
    const outside = join(root, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'notes.txt'), 'not Firmdrop’s');
    const db = new Sqlite(join(dataDir, 'firmdrop.db'));
    db.pragma('journal_mode = WAL');
    db.exec("INSERT INTO settings (name, value) VALUES ('theme', '\"dark\"')");
    mkdirSync(join(dataDir, 'staging', 'stg_' + 'a'.repeat(32)));
    writeFileSync(join(dataDir, 'staging', 'stg_' + 'a'.repeat(32), 'left.bin'), 'leftover');
    symlinkSync(join(outside, 'notes.txt'), join(dataDir, 'staging', 'link-to-file'));
    symlinkSync(outside, join(dataDir, 'sandbox', 'link-to-dir'));
    mkdirSync(join(dataDir, 'Cache'));
    writeFileSync(join(dataDir, 'Cache', 'electron-owned'), 'not ours to change');
    const loosen = (path: string) => {
      const info = lstatSync(path);
      if (info.isSymbolicLink()) return;
      chmodSync(path, info.isDirectory() ? 0o755 : 0o644);
      if (info.isDirectory()) for (const n of readdirSync(path)) loosen(join(path, n));
    };
    loosen(dataDir);
    loosen(outside);
    expect(modes(dataDir)['firmdrop.db-wal']).toBe('file 644');
    expect(modes(dataDir)['firmdrop.db-shm']).toBe('file 644');
    expect(notPrivate(dataDir).length).toBeGreaterThan(8);

    const again = await launch(dataDir);
    db.close();
    expect(again.shell.resolveStagedRef(ref)).not.toBeNull();
    expect(notPrivate(dataDir, (p) => p.startsWith('Cache'))).toEqual([]);
    // Links inside are left as they are and their targets untouched.
    expect(modes(outside)).toEqual({ '.': 'dir 755', 'notes.txt': 'file 644' });
    // Entries that are not Firmdrop's own (Electron's caches) are kept private by the folder alone.
    expect(modes(dataDir)['Cache/electron-owned']).toBe('file 644');
  });
});
