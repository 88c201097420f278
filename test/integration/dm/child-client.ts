import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../../..');

/**
 * The dm client (and the core modules it uses) transpiled to CommonJS in a temp directory, so a
 * test can run it in a plain child process and measure that process alone: in the test process
 * the sandbox's own buffers and the runner's heap would blur the figure.
 */
export function transpiledClient(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'firmdrop-dm-cjs-'));
  for (const area of ['dm', 'core']) {
    mkdirSync(join(dir, area));
    for (const file of readdirSync(join(ROOT, 'src-main', area))) {
      if (!file.endsWith('.ts')) continue;
      const source = readFileSync(join(ROOT, 'src-main', area, file), 'utf8');
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(join(dir, area, file.replace(/\.ts$/, '.js')), outputText);
    }
  }
  return { dir, env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') } };
}

/** A child-process script: uploads argv[3] as a small image, prints {growthMiB, image}. */
export const UPLOAD_AND_MEASURE = `
const { createDmClient } = require(process.argv[2] + '/dm/client.js');
const { statSync } = require('node:fs');
const [, , , url, key, path] = process.argv;
(async () => {
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
  const dm = createDmClient({ baseUrl: url, apiKey: key, env: {}, timeoutMs: 60000 });
  const image = await dm.createImageSmall({
    name: 'child-' + Date.now(), description: '', encrypt: false,
    file: { path, size: statSync(path).size, fileName: 'child.bin' },
  });
  clearInterval(sampler);
  await dm.close();
  process.stdout.write(JSON.stringify({ growthMiB: (peak - base) / 1048576, image }));
})().catch((err) => { console.error(String(err)); process.exit(1); });
`;
