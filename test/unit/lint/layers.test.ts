import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');

/**
 * The layer rule of eslint.config.mjs, run through ESLint itself on fixture source text placed
 * (virtually) in each layer: core ← dm/store/secrets ← upload ← app ← shells, the renderer on
 * contract types only. A forbidden import must fail `npm run lint`; an allowed one must not.
 */
describe('lint keeps the layers', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  async function layerErrors(file: string, source: string): Promise<string[]> {
    const [result] = await eslint.lintText(source, { filePath: resolve(ROOT, file) });
    return (result?.messages ?? [])
      .filter((m) => m.ruleId?.endsWith('no-restricted-imports'))
      .map((m) => m.message);
  }

  const use = (from: string) => `import { x } from '${from}';\nexport const y = x;\n`;
  const useType = (from: string) => `import type { X } from '${from}';\nexport type Y = X;\n`;

  // [file in the layer, an import that crosses upwards or sideways, an import the layer may use]
  const cases: [string, string, string][] = [
    ['src-main/core/fixture.ts', '../dm/client', './errors'],
    ['src-main/dm/fixture.ts', '../store', '../core/errors'],
    ['src-main/store/fixture.ts', '../upload/engine', '../core/upload-state'],
    ['src-main/store/migrations/fixture.ts', '../../secrets', '../../core/errors'],
    ['src-main/secrets/fixture.ts', '../app/service', '../core/errors'],
    ['src-main/upload/fixture.ts', '../app/runtime', '../dm/client'],
    ['src-main/app/fixture.ts', '../shells/cli/main', '../upload/engine'],
    ['src-main/shells/web/fixture.ts', '../../store', '../../app/service'],
    ['src-main/shells/electron/fixture.ts', '../../upload/engine', '../../app/boot'],
    ['src-main/shells/cli/commands/fixture.ts', '../../../dm/client', '../../../app/command-line'],
    ['src-main/shells/cli/fixture.ts', '../../secrets', '../../app/command-line'],
    ['src-renderer/lib/fixture.ts', '../../src-main/app/service', '../../src-main/app/contract'],
    ['src-main/app/contract.ts', './service', './contract-types'],
    ['src-main/app/contract-types.ts', './views', '../core/errors'],
  ];

  it.each(cases)('%s: refuses %s, allows %s', async (file, forbidden, allowed) => {
    const refused = await layerErrors(file, use(forbidden));
    expect(refused.length, `${file} importing ${forbidden}`).toBeGreaterThan(0);
    expect(refused.join('\n')).toMatch(/Layers|renderer may import only|contract/i);
    // Type-only imports cross the line as much as value imports do.
    expect(await layerErrors(file, useType(forbidden))).not.toEqual([]);
    const fine = file.startsWith('src-renderer/') ? useType(allowed) : use(allowed);
    expect(await layerErrors(file, fine), `${file} importing ${allowed}`).toEqual([]);
  });

  it('names the rule in the message, so the fix is obvious', async () => {
    const [message] = await layerErrors('src-main/shells/cli/fixture.ts', useType('../../store'));
    expect(message).toContain(
      'Layers (core ← dm/store/secrets ← upload ← app ← shells): src-main/shells/ may import only core/, app/.',
    );
  });
});
