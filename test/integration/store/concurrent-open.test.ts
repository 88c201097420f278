import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../../src-main/store/migrations';
import { openStore } from '../../../src-main/store';

const ROOT = resolve(import.meta.dirname, '../../..');

/**
 * The store (and the two core modules it uses) as CommonJS in a temp folder, so plain Node child
 * processes can open databases with it: several processes, not several connections of one.
 */
function transpiledStore(dir: string): void {
  const sources = [
    ...readdirSync(join(ROOT, 'src-main/store'), { recursive: true, encoding: 'utf8' }).map((f) =>
      join('store', f),
    ),
    'core/errors.ts',
    'core/upload-state.ts',
  ].filter((f) => f.endsWith('.ts'));
  for (const file of sources) {
    const source = readFileSync(join(ROOT, 'src-main', file), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    const out = join(dir, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
}

/**
 * Opens each database of argv[3] (JSON list) at its own instant (argv[4] + i * argv[5] ms), the
 * same instants in every child, and prints the failures as JSON.
 */
const OPENER = `
const { openStore } = require(process.argv[2]);
const files = JSON.parse(process.argv[3]);
const at = Number(process.argv[4]);
const step = Number(process.argv[5]);
const failures = [];
const nap = new Int32Array(new SharedArrayBuffer(4));
const spin = (t) => {
  if (t - Date.now() > 3) Atomics.wait(nap, 0, 0, t - Date.now() - 3); // sleep, then spin the rest
  while (Date.now() < t) {}
};
for (let i = 0; i < files.length; i++) {
  spin(at + i * step);
  try {
    openStore({ file: files[i] }).close();
  } catch (err) {
    const cause = err.cause ?? err;
    failures.push(files[i] + ': ' + (cause.code ?? '') + ' ' + cause.message);
  }
}
process.stdout.write(JSON.stringify(failures));
`;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'firmdrop-open-'));
  transpiledStore(join(dir, 'lib'));
  writeFileSync(join(dir, 'opener.cjs'), OPENER);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('several processes opening one new database at the same moment', () => {
  it('all succeed: one creates and migrates it, the others wait and find it ready', async () => {
    const files = Array.from({ length: 24 }, (_, i) => join(dir, `data-${i}`, 'firmdrop.db'));
    const at = Date.now() + 1000; // every child has started by then
    const children = Array.from({ length: 5 }, () =>
      promisify(execFile)(
        process.execPath,
        [
          join(dir, 'opener.cjs'),
          join(dir, 'lib/store/index.js'),
          JSON.stringify(files),
          String(at),
          '60',
        ],
        { env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') } },
      ),
    );
    const failures = (await Promise.all(children)).flatMap((r) => JSON.parse(r.stdout) as string[]);
    expect(failures.map((f) => relative(dir, f))).toEqual([]);
    for (const file of files) {
      const store = openStore({ file });
      try {
        expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
        expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        store.close();
      }
    }
  });
});
