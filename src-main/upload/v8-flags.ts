import { setFlagsFromString } from 'node:v8';

/** V8 flags this process set on itself at run time (the CLI's, see shells/cli/v8-flags.ts). */
const kept = new Set<string>();

/** Sets V8 flags for the whole process now, and again whenever V8 may have undone them. */
export function keepV8Flags(flags: Iterable<string>): void {
  for (const flag of flags) kept.add(flag);
  restoreV8Flags();
}

/**
 * Sets the kept flags again. Called once a Worker is online: V8's Heap::ConfigureHeap, run on the
 * new thread for its isolate, raises --semi-space-growth-factor back to at least 2 (caught with a
 * gdb watchpoint), and flags belong to the process, so the main thread's young generation would
 * double again (in the CLI: +16 MiB of heap 30 s into a 4 GiB upload in 5 MiB chunks).
 */
export function restoreV8Flags(): void {
  for (const flag of kept) setFlagsFromString(flag);
}
