import type { ContractError } from '../../app/contract';
import type { CliContext } from './context';
import { DisposableStore, toDisposable } from '../../core/event';
import type { RunView } from './run-view';
import type { StopWatch } from './signals';

/**
 * Runs the app's uploads until the engine is idle, or until SIGINT/SIGTERM shuts it down (its
 * uploads then become `interrupted`). Returns the last error each upload reported: with its
 * suggestion, which the journal keeps only as text.
 */
export async function runEngine(
  ctx: CliContext,
  ids: readonly string[],
  start: () => void | Promise<void>,
  view: RunView,
  stop: StopWatch,
): Promise<Map<string, ContractError>> {
  const { uploads } = ctx.app;
  const mine = new Set(ids);
  const problems = new Map<string, ContractError>();
  const subscriptions = new DisposableStore();
  subscriptions.add(
    uploads.onDidChange((v) => {
      if (!mine.has(v.id)) return;
      if (v.error) problems.set(v.id, v.error);
      else problems.delete(v.id);
      view.update(v);
    }),
  );
  subscriptions.add(
    uploads.onNotice(({ uploadId, message }) => {
      if (mine.has(uploadId)) view.notice(uploadId, message);
    }),
  );
  let shutdown: Promise<void> = Promise.resolve();
  const onStop = () => {
    shutdown = uploads.shutdown();
  };
  stop.signal.addEventListener('abort', onStop, { once: true });
  subscriptions.add(toDisposable(() => stop.signal.removeEventListener('abort', onStop)));
  try {
    if (!stop.signal.aborted) await start();
    await uploads.whenIdle();
    await shutdown;
  } finally {
    subscriptions.dispose();
    view.close();
  }
  return problems;
}
