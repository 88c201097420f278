import type { EventName, FirmdropEvents } from '../../src-main/app/contract';

/** A minimal typed event source for shell wiring tests. */
export class EventHub {
  private readonly listeners = new Map<string, Set<(p: never) => void>>();

  on<E extends EventName>(event: E, listener: (payload: FirmdropEvents[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as (p: never) => void);
    this.listeners.set(event, set);
    return () => set.delete(listener as (p: never) => void);
  }

  emit<E extends EventName>(event: E, payload: FirmdropEvents[E]): void {
    this.listeners.get(event)?.forEach((l) => l(payload as never));
  }
}
