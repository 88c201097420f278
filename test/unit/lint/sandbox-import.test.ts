import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });
const RULE = 'firmdrop/no-sandbox-import';

/** The rule's messages for `code` linted as if it were the file at `path` (never written). */
async function sandboxProblems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('lint: the product does not depend on the sandbox', () => {
  it.each([
    ['src-main/app/runtime.ts', "import { startSandbox } from '../../src-sandbox';"],
    ['src-main/app/boot.ts', "import type { Sandbox } from '../../src-sandbox/types';"],
    ['src-main/dm/client.ts', "export { startSandboxService } from '../../src-sandbox/service';"],
    [
      'src-main/shells/cli/commands/upload.ts',
      "const s = await import('../../../../src-sandbox');",
    ],
  ])('refuses an import of src-sandbox in %s', async (path, code) => {
    expect(await sandboxProblems(path, code)).toEqual([
      expect.stringMatching(/^The product does not depend on the sandbox/),
    ]);
  });

  it('lets the app start the embedded instance from the service-only entry, and nothing more', async () => {
    const at = 'src-main/app/sandbox-account.ts';
    expect(
      await sandboxProblems(at, "import { startSandboxService } from '../../src-sandbox/service';"),
    ).toEqual([]);
    expect(await sandboxProblems(at, "import { startSandbox } from '../../src-sandbox';")).toEqual([
      expect.stringMatching(/^The embedded sandbox is the service alone/),
    ]);
  });

  it('lets the CLI sandbox command start the sandbox with its control layer', async () => {
    expect(
      await sandboxProblems(
        'src-main/shells/cli/commands/sandbox.ts',
        "import { startSandbox } from '../../../../src-sandbox';",
      ),
    ).toEqual([]);
  });
});
