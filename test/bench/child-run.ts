import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { BaselineInput, BaselineResult } from './baseline-upload';
import type { ForwarderOptions } from './forwarder';
import type { LagInput, LagResult } from './lag-child';
import { collect, readUntil, spawnTracked, waitExit } from './procs';

function childArgs(root: string, role: string, input: unknown, netns?: string) {
  const node = [
    resolve(root, 'scripts/run-ts.mjs'),
    resolve(root, 'test/bench/child.ts'),
    role,
    JSON.stringify(input),
  ];
  return netns
    ? { cmd: 'ip', args: ['netns', 'exec', netns, process.execPath, ...node] }
    : { cmd: process.execPath, args: node };
}

/** Runs a one-shot role and returns the JSON it printed last. */
async function runOnce<T>(root: string, role: string, input: unknown, netns?: string): Promise<T> {
  const { cmd, args } = childArgs(root, role, input, netns);
  const child = spawnTracked(cmd, args, { cwd: root });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const exit = await waitExit(child);
  const last = stdout().trim().split('\n').pop() ?? '';
  if (exit.code !== 0) {
    throw new Error(
      `The ${role} process exited ${exit.code ?? exit.signal}: ${stderr().trim().slice(-1200)}`,
    );
  }
  return JSON.parse(last) as T;
}

/** The script-style baseline in its own process (times itself, without its start-up). */
export const runBaseline = (root: string, input: BaselineInput, netns?: string) =>
  runOnce<BaselineResult>(root, 'baseline', input, netns);

export const runLag = (root: string, input: LagInput) => runOnce<LagResult>(root, 'lag', input);

/** Starts a relay process; kill it (or let the run's clean-up do so) when done. */
export async function startForwarderProcess(
  root: string,
  opts: ForwarderOptions,
  netns?: string,
): Promise<{ port: number; child: ChildProcess }> {
  const { cmd, args } = childArgs(root, 'forwarder', opts, netns);
  const child = spawnTracked(cmd, args, { cwd: root });
  const lines = await readUntil(child, (ls) => ls.some((l) => l.startsWith('port ')), 'A relay');
  const port = Number(lines.find((l) => l.startsWith('port '))?.slice(5));
  return { port, child };
}
