import { keepV8Flags } from '../../app/v8-flags';

/**
 * V8 flags the CLI sets on itself before any command runs (main.ts), except for `firmdrop
 * sandbox`: the service's test double is a server whose memory is no target, and benchmarks
 * measure clients against it. Both
 * keep the peak RSS of a long upload down (docs/benchmarks.md §5 has the figures); V8 reads them
 * when it acts, so setting them after start-up works. (Heap *sizes* such as
 * --max-semi-space-size do not: the heap is sized when the isolate is created, so they would need
 * NODE_OPTIONS, a flag in the shebang — which `node firmdrop.cjs` skips — or a re-exec.)
 *
 * `--liftoff-only`: undici parses HTTP with llhttp compiled to WebAssembly, and V8 tiers its one
 * huge parser function up to TurboFan on a background thread. That compilation alone took ~35 MiB
 * of zone memory (heaptrack: LinearScanAllocator under ExecuteTurbofanWasmCompilation), a third
 * of the peak of every upload, even of a 1 KB file. Parsing a few small answers per chunk gains
 * nothing from optimised code; the baseline (Liftoff) code is enough. It must be set before
 * undici compiles the module, which it does lazily, on the first connection.
 *
 * `--semi-space-growth-factor=1`: the young generation keeps the size it has at start-up instead of
 * doubling up to 16 MiB per semi-space as survivors add up over a long run (+16 MiB of heap
 * 25 s into a 4 GiB upload in 5 MiB chunks, and RSS with it). An upload's short-lived objects
 * (a promise or two per 64 KiB slice) die young in the small one as well; the CPU time of the
 * run did not change. V8 means this flag to be 2 or more: it raises it back to 2 whenever it
 * configures a new heap, as it does for a worker thread, so the engine sets it again after
 * starting one (upload/v8-flags.ts). Factor 1 makes V8's doubling step a no-op; were that ever to
 * change, the young generation would just grow again as before.
 */
export const CLI_V8_FLAGS = ['--liftoff-only', '--semi-space-growth-factor=1'] as const;

/** Whether a command runs with CLI_V8_FLAGS. */
export function tunesV8(command: string): boolean {
  return command !== 'sandbox';
}

export function setCliV8Flags(command: string): void {
  if (tunesV8(command)) keepV8Flags(CLI_V8_FLAGS);
}
