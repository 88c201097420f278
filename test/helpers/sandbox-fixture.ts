import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Sandbox, SandboxOptions } from '../../src-sandbox';
import { startSandbox } from '../../src-sandbox';

/**
 * One sandbox for the test file: started before the first test, closed after the last, faults
 * cleared after each test. Call the returned function inside tests to get it.
 */
export function useSandbox(opts?: SandboxOptions): () => Sandbox {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox(opts);
  });
  afterEach(() => {
    sandbox?.faults.clear();
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  return () => {
    if (!sandbox) throw new Error('the sandbox is not running: call useSandbox() at file level');
    return sandbox;
  };
}
