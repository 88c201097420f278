import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Script, createContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHANNELS,
  EVENTS,
  SAVE_HISTORY_EXPORT_CHANNEL,
  type FirmdropBridge,
} from '../../../src-main/app/contract';

/**
 * Boot what ships. Electron cannot run here, so the desktop shell's sources are unit-tested in
 * parts; this loads the *built* bundles (one private `electron-vite build` for this file) and
 * catches what only the bundling can break: paths between main, preload and renderer, externals,
 * CommonJS/ESM, a preload that requires what a sandboxed preload cannot.
 */
const root = resolve(import.meta.dirname, '../../..');
// Inside the project, so the main bundle's externals (better-sqlite3, keytar…) resolve as shipped.
const outDir = join(root, 'out', `boot-test-${randomBytes(4).toString('hex')}`);

beforeAll(async () => {
  await promisify(execFile)(
    'npx',
    ['electron-vite', 'build', '--outDir', outDir, '--logLevel', 'error'],
    { cwd: root },
  );
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

// The bridge's members, checked against the contract's interface at compile time.
const BRIDGE_KEYS = [
  'invoke',
  'on',
  'stageFiles',
  'shell',
  'saveHistoryExport',
] as const satisfies readonly (keyof FirmdropBridge)[];
// onReconnect is the web shell's alone: Electron's IPC loses no events while it lives.
type MissingKey = Exclude<keyof FirmdropBridge, (typeof BRIDGE_KEYS)[number] | 'onReconnect'>;
const allKeysListed: [MissingKey] extends [never] ? true : MissingKey = true;

interface BootRecord {
  schemes: Array<{ scheme: string; privileges: Record<string, boolean> }>;
  windows: Array<{ webPreferences: Record<string, unknown>; show: boolean }>;
  loadedUrl: string | null;
  handlers: string[];
  protocols: string[];
  menuSet: boolean;
  permissionHandlers: number;
  errorBoxes: string[];
  unhandled: string[];
  exitCode: number | null;
  entry: {
    status: number;
    csp: string | null;
    html: string;
    assets: Array<{ path: string; status: number }>;
  } | null;
  invoked: { ok: boolean; value?: { version: string } } | null;
  notDoubled: string[];
}

/** Runs out/main/main.js in its own Node process with the electron double (boot-child.cjs). */
function bootMain(): Promise<{ record: BootRecord; stderr: string; code: number | null }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'firmdrop-boot-'));
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'boot-child.cjs'), join(outDir, 'main', 'main.js'), dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((ok, fail) =>
    child.on('close', (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      const line = stdout.split('\n').find((l) => l.startsWith('BOOT-RECORD '));
      if (!line) return fail(new Error(`no record (exit ${code}); stderr:\n${stderr}`));
      ok({ record: JSON.parse(line.slice('BOOT-RECORD '.length)) as BootRecord, stderr, code });
    }),
  );
}

describe('the built main bundle, booted under Node with an electron double', () => {
  let boot: Awaited<ReturnType<typeof bootMain>>;
  beforeAll(async () => {
    boot = await bootMain();
  }, 60_000);

  it('starts, opens one hardened window, and quits cleanly without an unhandled error', () => {
    const { record } = boot;
    expect(record.notDoubled, boot.stderr).toEqual([]);
    expect(record.unhandled, boot.stderr).toEqual([]);
    expect(record.errorBoxes).toEqual([]);
    expect(record.exitCode).toBe(0);
    expect(boot.code).toBe(0);
    expect(record.schemes.map((s) => s.scheme)).toEqual(['app']);
    expect(record.permissionHandlers).toBe(2);
    expect(record.menuSet).toBe(true);
    expect(record.windows).toHaveLength(1);
    const [win] = record.windows;
    expect(win?.show).toBe(false);
    expect(win?.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('names a preload and a page that exist in the bundle, and serves the page with its assets', () => {
    const { record } = boot;
    const preload = record.windows[0]?.webPreferences.preload as string;
    expect(preload).toBe(join(outDir, 'preload', 'preload.js'));
    expect(existsSync(preload)).toBe(true);
    expect(record.loadedUrl).toBe('app://firmdrop/index.html');
    expect(existsSync(join(outDir, 'renderer', 'index.html'))).toBe(true);
    expect(record.protocols).toEqual(['app']);
    expect(record.entry?.status).toBe(200);
    expect(record.entry?.csp).toContain("frame-ancestors 'none'");
    expect(record.entry?.html).toContain('<div id="app"></div>');
    expect(record.entry?.assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of record.entry?.assets ?? [])
      expect(asset, asset.path).toMatchObject({ status: 200 });
  });

  it('registers a handler for every contract channel, wired to the app service', () => {
    // Every contract channel, and the shell's own save dialog for a history export.
    expect([...boot.record.handlers].sort()).toEqual(
      [...CHANNELS, SAVE_HISTORY_EXPORT_CHANNEL].sort(),
    );
    expect(boot.record.invoked).toMatchObject({ ok: true, value: { version: '0.0.0-smoke' } });
  });
});

describe('the built preload, evaluated in a vm context with a contextBridge double', () => {
  function loadPreload() {
    const exposed: Array<{ name: string; api: FirmdropBridge }> = [];
    const invoked: unknown[][] = [];
    const listening = new Map<string, unknown>();
    const required: string[] = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (name: string, api: FirmdropBridge) => exposed.push({ name, api }),
      },
      ipcRenderer: {
        invoke: (...args: unknown[]) => (invoked.push(args), Promise.resolve({ ok: true })),
        on: (channel: string, fn: unknown) => listening.set(channel, fn),
        removeListener: (channel: string) => listening.delete(channel),
      },
      webUtils: {
        getPathForFile: (f: { name: string }) => (f.name === 'nowhere' ? '' : `/fw/${f.name}`),
      },
    };
    // A sandboxed preload may require only 'electron' (and a few others Electron polyfills):
    // anything else is a bundling mistake that would stop the window from working.
    const requireDouble = (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require "${id}"`);
    };
    const source = readFileSync(join(outDir, 'preload', 'preload.js'), 'utf8');
    const module = { exports: {} };
    const wrapped = new Script(`(function (exports, require, module) {${source}\n})`, {
      filename: 'preload.js',
    }).runInContext(createContext({}));
    wrapped(module.exports, requireDouble, module);
    return { exposed, invoked, listening, required };
  }

  it('exposes exactly the contract, once, as window.firmdrop, requiring only electron', async () => {
    const { exposed, invoked, listening, required } = loadPreload();
    expect(allKeysListed).toBe(true);
    expect([...new Set(required)]).toEqual(['electron']);
    expect(exposed.map((e) => e.name)).toEqual(['firmdrop']);
    const bridge = exposed[0]?.api as FirmdropBridge;
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_KEYS].sort());
    expect(bridge.shell).toBe('electron');

    for (const channel of CHANNELS) {
      await (bridge.invoke as (c: string, input: unknown) => Promise<unknown>)(channel, { n: 1 });
    }
    expect(invoked).toEqual(CHANNELS.map((c) => [c, { n: 1 }]));
    await expect((bridge.invoke as (c: string) => Promise<unknown>)('fs:read')).rejects.toThrow(
      'Unknown channel fs:read',
    );
    expect(invoked).toHaveLength(CHANNELS.length);

    const offs = EVENTS.map((e) => bridge.on(e, () => undefined));
    expect([...listening.keys()].sort()).toEqual(EVENTS.map((e) => `event:${e}`).sort());
    offs.forEach((off) => off());
    expect(listening.size).toBe(0);
    expect(() =>
      (bridge.on as (e: string, f: () => void) => void)('ipc:raw', () => undefined),
    ).toThrow('Unknown event ipc:raw');

    const files = [{ name: 'fw.bin', size: 3 }] as unknown as File[];
    expect(await bridge.stageFiles(files)).toEqual({
      ok: true,
      value: [{ ref: '/fw/fw.bin', fileName: 'fw.bin', size: 3 }],
    });
    const pathless = [{ name: 'nowhere', size: 1 }] as unknown as File[];
    expect(await bridge.stageFiles(pathless)).toMatchObject({
      ok: false,
      error: { code: 'file-missing' },
    });
  });
});
