import type { EventName, FirmdropEvents } from './contract';

type Listener = (payload: never) => void;

/** The service's typed push events; each shell subscribes and forwards them to its renderer. */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<Listener>>();

  on<E extends EventName>(event: E, listener: (payload: FirmdropEvents[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    set.add(listener as Listener);
    this.listeners.set(event, set);
    return () => set.delete(listener as Listener);
  }

  emit<E extends EventName>(event: E, payload: FirmdropEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        l(payload as never);
      } catch {
        // One broken listener (a closed window, a dropped SSE client) must not stop the others.
      }
    }
  }
}
