import { vi } from 'vitest';
import type {
  Channel,
  EventName,
  FirmdropApi,
  FirmdropBridge,
  FirmdropEvents,
  Result,
  StagedFile,
} from '../../../src-main/app/contract';

type Handlers = {
  [C in Channel]?: (
    ...args: Parameters<FirmdropApi[C]>
  ) => Awaited<ReturnType<FirmdropApi[C]>> | ReturnType<FirmdropApi[C]>;
};

export interface FakeBridge {
  bridge: FirmdropBridge;
  /** Every invoke, in order: [channel, argument]. */
  calls: Array<[Channel, unknown]>;
  callsTo(channel: Channel): unknown[];
  emit<E extends EventName>(event: E, payload: FirmdropEvents[E]): void;
  /** The web shell's event stream came back after it was lost. */
  reconnect(): void;
  staged: (files: File[]) => Promise<Result<StagedFile[]>>;
}

/**
 * The renderer's one seam, window.firmdrop, as a scripted stand-in: each test says what the
 * channels it uses answer; any other channel answers with an error Result naming itself.
 */
export function installFakeBridge(handlers: Handlers = {}): FakeBridge {
  const calls: Array<[Channel, unknown]> = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const reconnected = new Set<() => void>();
  const fake: FakeBridge = {
    calls,
    callsTo: (channel) => calls.filter(([c]) => c === channel).map(([, arg]) => arg),
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    reconnect() {
      for (const l of [...reconnected]) l();
    },
    staged: async (files) => ({
      ok: true,
      value: files.map((f, i) => ({ ref: `stg_${i}`, fileName: f.name, size: f.size })),
    }),
    bridge: {
      shell: 'web',
      invoke: (async (channel: Channel, arg?: unknown) => {
        calls.push([channel, arg]);
        const handler = handlers[channel] as ((a: unknown) => unknown) | undefined;
        if (!handler)
          return { ok: false, error: { code: 'internal', message: `${channel} not scripted` } };
        return handler(arg);
      }) as FirmdropBridge['invoke'],
      on(event, listener) {
        const set = listeners.get(event) ?? new Set();
        listeners.set(event, set);
        set.add(listener as (payload: unknown) => void);
        return () => set.delete(listener as (payload: unknown) => void);
      },
      onReconnect(listener) {
        reconnected.add(listener);
        return () => reconnected.delete(listener);
      },
      stageFiles: (files) => fake.staged(files),
      saveHistoryExport: async () => ({ ok: true, value: { saved: true, rows: 0 } }),
    },
  };
  vi.stubGlobal('window', { firmdrop: fake.bridge });
  return fake;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
