// `npm run bench` (after `npm run build:cli`): runs test/bench/index.ts through the TypeScript
// runner in this process. Knobs are environment variables; see docs/benchmarks.md.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTs } from './run-ts.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
try {
  const code = await runTs(resolve(root, 'test/bench/index.ts'), process.argv.slice(2));
  process.exit(code);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
