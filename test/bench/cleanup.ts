import { killAllTracked } from './procs';

/**
 * Synchronous clean-up steps (kill children, delete namespaces, remove temporary files), run in
 * reverse order at the end of the run, on an error, and on SIGINT/SIGTERM, so an interrupted run
 * leaves nothing behind. Synchronous so they can also run from the 'exit' handler.
 */
const steps: Array<{ what: string; fn: () => void }> = [];
let installed = false;

export function onCleanup(what: string, fn: () => void): () => void {
  install();
  const step = { what, fn };
  steps.push(step);
  return () => {
    const i = steps.indexOf(step);
    if (i !== -1) steps.splice(i, 1);
  };
}

export function runCleanup(): void {
  killAllTracked();
  while (steps.length > 0) {
    const step = steps.pop();
    try {
      step?.fn();
    } catch (err) {
      process.stderr.write(`bench clean-up: ${step?.what} failed: ${(err as Error).message}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', runCleanup);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      process.stderr.write(`\nbench: ${sig}, cleaning up.\n`);
      runCleanup();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}
