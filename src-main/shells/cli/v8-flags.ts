import { setFlagsFromString } from 'node:v8';

/**
 * V8 flags the CLI sets on itself, first thing (main.ts imports this before anything else).
 *
 * `--liftoff-only`: undici parses HTTP with llhttp compiled to WebAssembly, and V8 tiers its one
 * huge parser function up to TurboFan on a background thread. That compilation alone takes ~35 MiB
 * of zone memory (seen with heaptrack: LinearScanAllocator under ExecuteTurbofanWasmCompilation)
 * and was a third of the peak RSS of every upload, even of a 1 KB file. Parsing a few small
 * answers per chunk gains nothing from optimised code; the baseline (Liftoff) code is enough.
 * It must be set before undici compiles the module, which it does lazily on the first connection.
 *
 * Heap sizes (e.g. --max-semi-space-size) cannot be set this way: the heap is configured when the
 * isolate is created, so they would need NODE_OPTIONS or a re-exec (see docs/benchmarks.md §5).
 */
export const CLI_V8_FLAGS = ['--liftoff-only'] as const;

for (const flag of CLI_V8_FLAGS) setFlagsFromString(flag);
