import type { Disposable } from '../core/event';
import type { Store } from '../store';
import type { UploadView } from './contract';
import type { EventHub } from './event-hub';

const PAGE = 200;

/**
 * The journal is shared: a `firmdrop` run beside the app adds uploads and moves them on without
 * this process's engine knowing. Every `everyMs` the rows written since the last look are sent to
 * the renderer as `upload:changed`, so the queue shows the CLI's uploads and their progress (a
 * chunk at a time) as they happen. Rows this engine is working on are told by the engine itself.
 */
export function watchJournal(o: {
  store: Store;
  hub: EventHub;
  view(id: string): UploadView;
  ownRun(id: string): boolean;
  now(): number;
  everyMs?: number;
}): Disposable {
  let since = o.now();
  // Rows already told at their current write, so the `>=` of the look never repeats one.
  let told = new Map<string, number>();
  const look = (): void => {
    try {
      const rows = o.store.uploads.listUpdatedSince(since, PAGE);
      const next = new Map<string, number>();
      for (const u of rows) {
        since = Math.max(since, u.updatedAt);
        next.set(u.id, u.updatedAt);
        if (told.get(u.id) === u.updatedAt || o.ownRun(u.id)) continue;
        o.hub.emit('upload:changed', o.view(u.id));
      }
      told = new Map([...next].filter(([, t]) => t === since));
    } catch {
      // A busy database: the next look catches up, nothing is lost (rows keep their times).
    }
  };
  const timer = setInterval(look, o.everyMs ?? 1000);
  timer.unref();
  return { dispose: () => clearInterval(timer) };
}
