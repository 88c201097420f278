import type { PowerSaveBlocker } from 'electron';
import { toDisposable, type Disposable } from '../../core/event';
import type { ActiveUploads } from './active-uploads';

/**
 * Keeps the machine from suspending while uploads run. 'prevent-app-suspension' lets the screen
 * sleep (a technician may walk away) but keeps the network and the process alive.
 */
export function keepAwakeDuringUploads(
  active: ActiveUploads,
  blocker: Pick<PowerSaveBlocker, 'start' | 'stop'>,
): Disposable {
  let id: number | null = null;
  const sync = (count: number): void => {
    if (count > 0 && id === null) id = blocker.start('prevent-app-suspension');
    if (count === 0 && id !== null) {
      blocker.stop(id);
      id = null;
    }
  };
  const sub = active.onChange(sync);
  sync(active.count);
  return toDisposable(() => {
    sub.dispose();
    sync(0);
  });
}
