import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Every child the benchmark starts, so an interrupted run leaves none behind. */
const live = new Set<ChildProcess>();

/**
 * Each child leads a process group of its own, so clean-up also reaches what it started itself
 * (`ip netns exec` → GNU time → node), and a Ctrl+C reaches only the benchmark, which then
 * cleans up in order.
 */
export function spawnTracked(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...opts });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGKILLs whatever is still running: each child's own process group, by its id. */
export function killAllTracked(): void {
  for (const child of live) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL'); // the group is gone already; the child itself may not be
    }
  }
  live.clear();
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function waitExit(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Collects a stream's text (stdout or stderr of a child). */
export function collect(stream: NodeJS.ReadableStream | null): () => string {
  const parts: string[] = [];
  stream?.setEncoding('utf8');
  stream?.on('data', (s: string) => parts.push(s));
  return () => parts.join('');
}

/**
 * Reads a child's stdout line by line until `done` says it has what it needs; rejects when the
 * child exits first or `timeoutMs` passes, with what it printed on stderr.
 */
export function readUntil(
  child: ChildProcess,
  done: (lines: string[]) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<string[]> {
  const stderr = collect(child.stderr);
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    if (!child.stdout) return reject(new Error(`${what}: no stdout to read`));
    const rl = createInterface({ input: child.stdout });
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    const onExit = (code: number | null): void => fail(`exited (code ${code}) before it was ready`);
    const fail = (why: string): void => {
      clearTimeout(timer);
      rl.close();
      child.off('exit', onExit);
      reject(new Error(`${what} ${why}. Its stderr: ${stderr().trim() || '(empty)'}`));
    };
    rl.on('line', (line) => {
      lines.push(line);
      if (!done(lines)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      rl.close();
      // Keep draining: a child blocked on a full stdout pipe would stall the benchmark.
      child.stdout?.resume();
      resolve(lines);
    });
    child.once('exit', onExit);
  });
}
