import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../../src-sandbox');

/** The src-sandbox modules `entry` loads at run time (type-only imports are erased). */
function runtimeImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const source = readFileSync(join(dir, `${name}.ts`), 'utf8');
    for (const m of source.matchAll(
      /^(?:import|export)\s+(?!type\b)[^;]*?from\s+'\.\/([\w-]+)'/gm,
    )) {
      visit(m[1]!);
    }
  };
  visit(entry);
  return seen;
}

describe('the sandbox entry the desktop app embeds', () => {
  it('loads none of the control layer (admin API, faults)', () => {
    const loaded = runtimeImports('service');
    expect(loaded).toContain('server');
    expect([...loaded].filter((m) => ['control', 'admin', 'faults'].includes(m))).toEqual([]);
  });

  it('while the full entry does', () => {
    expect([...runtimeImports('index')]).toEqual(
      expect.arrayContaining(['control', 'admin', 'faults']),
    );
  });
});
