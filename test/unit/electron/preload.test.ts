import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FirmdropBridge } from '../../../src-main/app/contract';

// Electron cannot run here: the preload's three Electron modules are test doubles that record
// what the preload does with them.
const exposed: Record<string, unknown> = {};
const invoked: Array<[string, unknown]> = [];
const listeners = new Map<string, (...a: unknown[]) => void>();
const paths = new Map<unknown, string>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
  ipcRenderer: {
    invoke: async (channel: string, arg: unknown) => {
      invoked.push([channel, arg]);
      return { ok: true, value: null };
    },
    on: (channel: string, l: (...a: unknown[]) => void) => void listeners.set(channel, l),
    removeListener: (channel: string) => void listeners.delete(channel),
  },
  webUtils: { getPathForFile: (f: unknown) => paths.get(f) ?? '' },
}));

describe('preload bridge', () => {
  let bridge: FirmdropBridge;
  beforeEach(async () => {
    await import('../../../src-main/shells/electron/preload');
    bridge = exposed.firmdrop as FirmdropBridge;
  });

  it('exposes only the contract (no ipcRenderer) under window.firmdrop', () => {
    expect(Object.keys(exposed)).toEqual(['firmdrop']);
    expect(Object.keys(bridge).sort()).toEqual([
      'invoke',
      'on',
      'saveHistoryExport',
      'shell',
      'stageFiles',
    ]);
    expect(bridge.shell).toBe('electron');
  });

  it('invokes allowlisted channels only', async () => {
    await bridge.invoke('accounts:remove', { id: 'a' });
    expect(invoked).toEqual([['accounts:remove', { id: 'a' }]]);
    const invokeAny = bridge.invoke as (channel: string, arg?: unknown) => Promise<unknown>;
    await expect(invokeAny('fs:read')).rejects.toThrow(/Unknown channel/);
    expect(invoked).toHaveLength(1);
  });

  it('subscribes to allowlisted events and unsubscribes', () => {
    const got: unknown[] = [];
    const off = bridge.on('network:changed', (p) => got.push(p));
    listeners.get('event:network:changed')?.({}, { online: false });
    off();
    expect(got).toEqual([{ online: false }]);
    expect(listeners.has('event:network:changed')).toBe(false);
    expect(() => bridge.on('shell:open' as never, () => undefined)).toThrow(/Unknown event/);
  });

  it('asks main to save the history export on its one shell channel', async () => {
    await bridge.saveHistoryExport({ format: 'csv' });
    expect(invoked.at(-1)).toEqual(['shell:save-history-export', { format: 'csv' }]);
  });

  it('stages dropped files by their real path, and refuses one that has none', async () => {
    const onDisk = { name: 'fw.bin', size: 10 } as File;
    paths.set(onDisk, '/home/tech/fw.bin');
    expect(await bridge.stageFiles([onDisk])).toEqual({
      ok: true,
      value: [{ ref: '/home/tech/fw.bin', fileName: 'fw.bin', size: 10 }],
    });
    const inMemory = { name: 'pasted.bin', size: 3 } as File;
    expect(await bridge.stageFiles([inMemory])).toMatchObject({
      ok: false,
      error: { code: 'file-missing' },
    });
  });
});
