import { Emitter, type Disposable } from '../core/event';
import type { EventName, FirmdropEvents } from './contract';

/**
 * The subscribe side of the service's push events: all a shell needs, and all it gets, so no shell
 * can fire an event itself. Kept here rather than in contract.ts, which the renderer imports and
 * whose bridge `on` keeps returning a plain function.
 */
export interface EventFeed {
  on<E extends EventName>(event: E, listener: (payload: FirmdropEvents[E]) => void): Disposable;
}

type Emitters = { [E in EventName]: Emitter<FirmdropEvents[E]> };

/** The service's typed push events: one Emitter per contract event; shells subscribe and forward. */
export class EventHub implements EventFeed {
  // Spelled out (not mapped from EVENTS) so the compiler checks each event has its typed Emitter.
  // An Emitter drops a throwing listener's error, so a closed window or a dropped SSE client
  // never keeps the other shells from hearing an event.
  private readonly emitters: Emitters = {
    'upload:changed': new Emitter(),
    'upload:removed': new Emitter(),
    'accounts:changed': new Emitter(),
    'network:changed': new Emitter(),
    'batch:ended': new Emitter(),
    notice: new Emitter(),
  };

  on<E extends EventName>(event: E, listener: (payload: FirmdropEvents[E]) => void): Disposable {
    return this.emitters[event].event(listener);
  }

  /** For the service's own command modules and engine wiring; shells hold only the EventFeed. */
  emit<E extends EventName>(event: E, payload: FirmdropEvents[E]): void {
    this.emitters[event].fire(payload);
  }

  /** Whether anyone listens to `event`: lets tests check that a shell let go of its subscriptions. */
  hasListeners(event: EventName): boolean {
    return this.emitters[event].hasListeners;
  }
}
