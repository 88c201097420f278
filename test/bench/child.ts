/**
 * Entry for the benchmark's helper processes, run as
 *   node scripts/run-ts.mjs test/bench/child.ts <role> <json>
 * Roles: `baseline` and `lag` print one JSON result line; `forwarder` prints `port N` and relays
 * until it is killed. Each runs in a process of its own so it has its own event loop (and, for the
 * netns benchmark, its own network namespace).
 */
import { baselineUpload, type BaselineInput } from './baseline-upload';
import { startForwarder, type ForwarderOptions } from './forwarder';
import { measureLag, type LagInput } from './lag-child';

export default async function child(args: string[]): Promise<number> {
  const [role, json] = args;
  const input: unknown = JSON.parse(json ?? '{}');
  switch (role) {
    case 'baseline':
      process.stdout.write(`${JSON.stringify(await baselineUpload(input as BaselineInput))}\n`);
      return 0;
    case 'lag':
      process.stdout.write(`${JSON.stringify(await measureLag(input as LagInput))}\n`);
      return 0;
    case 'forwarder': {
      const { port } = await startForwarder(input as ForwarderOptions);
      process.stdout.write(`port ${port}\n`);
      // Relays until the benchmark kills this process.
      await new Promise<never>(() => undefined);
      return 0;
    }
    default:
      process.stderr.write(`unknown role "${role}": use baseline, lag or forwarder\n`);
      return 2;
  }
}
