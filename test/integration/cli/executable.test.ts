import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useBuiltCli } from './cli-fixture';

const cli = useBuiltCli();

// README: `npm ci && npm run build && npx firmdrop help`. npx runs the bin file itself, so the
// build must leave it executable with a shebang (the whole sequence: scripts/fresh-clone-check.sh).
describe('the built firmdrop command', () => {
  it('is executable, starts with a node shebang, and runs as a program', async () => {
    const mode = (await stat(cli())).mode;
    expect(mode & 0o111).toBe(0o111);
    const firstLine = (await readFile(cli(), 'utf8')).split('\n', 1)[0];
    expect(firstLine).toBe('#!/usr/bin/env node');
    // Executed directly, as npx does: a missing bit fails here with EACCES.
    const { stdout } = await promisify(execFile)(cli(), ['help']);
    expect(stdout).toMatch(/^Usage: firmdrop /m);
  });
});
