import type { FirmdropError } from '../../core/errors';
import type { UploadSnapshot } from '../../upload/types';
import type { CliContext } from './context';
import { DisposableStore, toDisposable } from '../../core/event';
import type { RunView } from './run-view';
import type { StopWatch } from './signals';

/**
 * Runs the engine until it is idle, or until SIGINT/SIGTERM shuts it down (its uploads then
 * become `interrupted`). Returns the last problem each upload reported: the error with its
 * suggestion, which the journal keeps only as text.
 */
export async function runEngine(
  ctx: CliContext,
  ids: readonly string[],
  start: () => void | Promise<void>,
  view: RunView,
  stop: StopWatch,
): Promise<Map<string, FirmdropError>> {
  const { engine } = ctx.runtime;
  const mine = new Set(ids);
  const problems = new Map<string, FirmdropError>();
  const subscriptions = new DisposableStore();
  subscriptions.add(
    engine.onDidChange((s: UploadSnapshot) => {
      if (!mine.has(s.upload.id)) return;
      if (s.problem) problems.set(s.upload.id, s.problem);
      else problems.delete(s.upload.id);
      view.update(s);
    }),
  );
  subscriptions.add(
    engine.onNotice(({ uploadId, message }) => {
      if (mine.has(uploadId)) view.notice(uploadId, message);
    }),
  );
  let shutdown: Promise<void> = Promise.resolve();
  const onStop = () => {
    shutdown = engine.shutdown();
  };
  stop.signal.addEventListener('abort', onStop, { once: true });
  subscriptions.add(toDisposable(() => stop.signal.removeEventListener('abort', onStop)));
  try {
    if (!stop.signal.aborted) await start();
    await engine.whenIdle();
    await shutdown;
  } finally {
    subscriptions.dispose();
    view.close();
  }
  return problems;
}
