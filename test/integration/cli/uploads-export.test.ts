import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { envSessions, json, runCli, useBuiltCli, useScratch } from './cli-fixture';

const KEY = 'ak_cli_export_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });
const scratch = useScratch();
const session = envSessions(cli, scratch, () => sandbox().url, KEY);

describe('firmdrop uploads --export', () => {
  it('writes the history as the app exports it: CSV with a formula guard, JSON, --state, --output', async () => {
    const { run } = session();
    const plain = scratch.file('plain.bin', 3000);
    const formula = scratch.file('formula.bin', 2000);
    const first = json(await run('upload', plain.path, '--json'))[0];
    // An image name a spreadsheet would run as a formula.
    const second = json(await run('upload', formula.path, '--name', '=1+2', '--json'))[0];
    sandbox().faults.inject({
      kind: 'status',
      status: 400,
      method: 'POST',
      path: /chunks$/,
      times: 1,
    });
    const broken = scratch.file('broken.bin', 9 * MiB);
    expect((await run('upload', broken.path, '--chunk-size', '5')).code).toBe(1);

    const csv = await run('uploads', '--export', 'csv');
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.split('\r\n');
    expect(lines[0]).toBe(
      'file,image_name,account,region,size_bytes,sha256,image_id,datafile_url,verified,started_at,finished_at,status,group_id',
    );
    expect(lines).toHaveLength(5); // header, three uploads oldest first, and the final CRLF
    const cells = (lines[1] ?? '').split(',');
    expect(cells.slice(0, 2)).toEqual(['plain.bin', 'plain.bin']);
    expect(cells[2]).toBe(first.account);
    expect(cells.slice(4, 9)).toEqual([
      '3000',
      plain.sha256,
      first.firmware_image_id,
      first.datafile,
      'true',
    ]);
    expect(cells[9]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(cells[10]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(cells[11]).toBe('done');
    expect(cells[12]).toBe(''); // one account: no fan-out group
    expect((lines[2] ?? '').split(',').slice(0, 2)).toEqual(['formula.bin', "'=1+2"]);
    expect(lines[3]).toMatch(/^broken\.bin,broken\.bin,.*,false,[^,]+,[^,]*,failed,$/);

    const out = join(scratch.dir(), 'history.json');
    const saved = await run('uploads', '--export', 'json', '--output', out);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toBe('');
    expect(saved.stderr).toBe(`firmdrop: wrote 3 upload(s) to ${out}\n`);
    const rows = JSON.parse(readFileSync(out, 'utf8'));
    expect(rows.map((r: { image_name: string }) => r.image_name)).toEqual([
      'plain.bin',
      '=1+2',
      'broken.bin',
    ]);
    expect(rows[1]).toMatchObject({
      file: basename(formula.path),
      sha256: formula.sha256,
      image_id: second.firmware_image_id,
      verified: true,
    });

    const failed = JSON.parse(
      (await run('uploads', '--export', 'json', '--state', 'failed')).stdout,
    );
    expect(failed.map((r: { file: string; status: string }) => [r.file, r.status])).toEqual([
      ['broken.bin', 'failed'],
    ]);
  });

  it('refuses a wrong format, --output without --export and --limit with it', async () => {
    const dataDir = join(scratch.dir(), 'data-bad');
    const run = (...a: string[]) => runCli(cli(), ['--data-dir', dataDir, ...a]);
    const xml = await run('uploads', '--export', 'xml');
    expect(xml.code).toBe(2);
    expect(xml.stderr).toBe('firmdrop uploads: --export takes csv or json, got "xml"\n');
    const lone = await run('uploads', '--output', 'x.csv');
    expect(lone.code).toBe(2);
    expect(lone.stderr).toContain('--output belongs to --export csv|json.');
    const limited = await run('uploads', '--export', 'csv', '--limit', '3');
    expect(limited.code).toBe(2);
    expect(limited.stderr).toContain('--export writes every upload: leave out --limit');
    const nowhere = await run('uploads', '--export', 'csv', '--output', '/nonexistent/dir/h.csv');
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toContain(
      'Could not write the export to /nonexistent/dir/h.csv (ENOENT). Check that its folder exists',
    );
  });
});
