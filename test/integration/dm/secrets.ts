import { inspect } from 'node:util';

export const KEY = 'ak_1MDE2MTk1NzFmNmU4MDI0MmFjMTIwMDA2MDAwMDAwMDA0secretTAIL';

/** Everything an error could reveal when logged, inspected or serialized, as one string. */
export function everythingVisible(err: unknown): string {
  const plain =
    err instanceof Error
      ? { ...err, name: err.name, message: err.message, stack: err.stack, cause: String(err.cause) }
      : err;
  return [
    inspect(err, { depth: Infinity, showHidden: true, getters: true }),
    JSON.stringify(plain),
    String(err),
    err instanceof Error ? String(err.stack) : '',
  ].join('\n');
}
