import { describe, expect, it, vi } from 'vitest';
import { createWebBridge } from '../../../src-renderer/lib/web-bridge';

/**
 * The browser's EventSource as far as the bridge uses it: listeners, and the 'open' it fires at
 * the first connection and again after each reconnection it makes by itself.
 */
class ScriptedEventSource {
  static last: ScriptedEventSource | null = null;
  private readonly listeners = new Map<string, Set<(e: unknown) => void>>();
  constructor(readonly url: string) {
    ScriptedEventSource.last = this;
  }
  addEventListener(type: string, l: (e: unknown) => void): void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(l);
    this.listeners.set(type, set);
  }
  removeEventListener(type: string, l: (e: unknown) => void): void {
    this.listeners.get(type)?.delete(l);
  }
  fire(type: string, data?: unknown): void {
    for (const l of this.listeners.get(type) ?? []) l({ data: JSON.stringify(data) });
  }
}

describe('the web bridge after a lost event stream', () => {
  it('tells its listeners each time the stream is back, not at the first connection', () => {
    const bridge = createWebBridge({
      EventSource: ScriptedEventSource as unknown as typeof EventSource,
    });
    let reconnects = 0;
    const off = bridge.onReconnect?.(() => reconnects++);
    const stream = ScriptedEventSource.last!;
    expect(stream.url).toBe('/api/events');
    stream.fire('open');
    expect(reconnects).toBe(0);
    stream.fire('open'); // the browser reconnected after an error
    stream.fire('open');
    expect(reconnects).toBe(2);
    off?.();
    stream.fire('open');
    expect(reconnects).toBe(2);
  });

  it('one stream serves the events and the reconnect notice', () => {
    const bridge = createWebBridge({
      EventSource: ScriptedEventSource as unknown as typeof EventSource,
    });
    const seen: unknown[] = [];
    bridge.on('notice', (n) => seen.push(n));
    const stream = ScriptedEventSource.last!;
    bridge.onReconnect?.(() => seen.push('back'));
    expect(ScriptedEventSource.last).toBe(stream);
    stream.fire('open');
    stream.fire('notice', { level: 'info', message: 'hello' });
    stream.fire('open');
    expect(seen).toEqual([{ level: 'info', message: 'hello' }, 'back']);
  });
});

describe('the app after its event stream came back', () => {
  it('reads the queue and the accounts again, keeping views newer than the answer', async () => {
    const { installFakeBridge, ok } = await import('./fake-bridge');
    const { uploadView } = await import('./uploads-fixture');
    const { startApp } = await import('../../../src-renderer/lib/state/bootstrap');
    const { uploads } = await import('../../../src-renderer/lib/state/uploads.svelte');
    let listed = 0;
    const fake = installFakeBridge({
      'uploads:list': () => {
        listed++;
        // While the stream was down the upload finished; the list says so.
        return ok([
          uploadView({ id: 'u1', revision: listed, phase: listed > 1 ? 'done' : 'uploading' }),
        ]);
      },
      'accounts:list': () => ok([]),
    });
    const stop = await startApp();
    try {
      expect(uploads.byId('u1')?.phase).toBe('uploading');
      fake.reconnect();
      await vi.waitFor(() => expect(uploads.byId('u1')?.phase).toBe('done'));
      expect(fake.callsTo('accounts:list')).toHaveLength(2);
    } finally {
      stop();
      uploads.items = [];
      vi.unstubAllGlobals();
    }
  });
});
