import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { createKeytarStore } from '../../../src-main/secrets';
import { openStore } from '../../../src-main/store';
import { api } from '../../helpers/sandbox-client';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { download, json, runCli, startCli, useBuiltCli, useScratch } from './cli-fixture';

const US_KEY = 'ak_cli_fanout_us_0123456789';
const EU_KEY = 'ak_cli_fanout_eu_0123456789';
const cli = useBuiltCli();
// Two services on two ports: two hosts, as two regions are.
const us = useSandbox({ accounts: [{ key: US_KEY, tier: '1' }] });
const eu = useSandbox({ accounts: [{ key: EU_KEY, tier: '1' }] });
const scratch = useScratch();
const service = `Firmdrop-cli-fanout-${randomUUID()}`;
let n = 0;

beforeAll(async () => {
  const status = await createKeytarStore({ service }).probe();
  if (!status.ok)
    throw new Error(`These tests need the OS keychain (run under /work/kr.sh): ${status.message}`);
});

/** A fresh data dir with two stored accounts, us-prod and eu-prod (keys in the keychain). */
async function session() {
  const dataDir = join(scratch.dir(), `data-${++n}`);
  const env = { FIRMDROP_KEYCHAIN_SERVICE: service };
  const run = (...args: string[]) => runCli(cli(), ['--data-dir', dataDir, ...args], { env });
  const start = (...args: string[]) => startCli(cli(), ['--data-dir', dataDir, ...args], { env });
  for (const [name, url, key] of [
    ['us-prod', us().url, US_KEY],
    ['eu-prod', eu().url, EU_KEY],
  ] as const) {
    const add = await runCli(
      cli(),
      ['--data-dir', dataDir, 'accounts', 'add', name, '--region', url],
      {
        env,
        input: `${key}\n`,
      },
    );
    expect(add.code, add.stderr).toBe(0);
  }
  return { run, start, dataDir };
}

/** One upload at a time (the setting), as a busy technician's machine might be set. */
function oneAtATime(dataDir: string): void {
  const store = openStore({ file: join(dataDir, 'firmdrop.db') });
  store.settings.set('filesAtOnce', 1);
  store.close();
}

async function imagesNamed(url: string, key: string, name: string): Promise<unknown[]> {
  const r = await api(url, key, 'GET', '/v3/firmware-images?limit=1000');
  return r.json.data.filter((i: { name: string }) => i.name === name);
}

async function jobsNamed(url: string, key: string, name: string): Promise<unknown[]> {
  const r = await api(url, key, 'GET', '/v3/firmware-images/upload-jobs?limit=1000');
  return r.json.data.filter((j: { name: string }) => j.name === name);
}

describe('firmdrop upload to several accounts (fan-out)', () => {
  it('--account a,b --json: one object per target, verified on both, byte-exact', async () => {
    const s = await session();
    const f = scratch.file('fw-2.3.1.bin', 11 * MiB + 3);
    const r = await s.run(
      'upload',
      f.path,
      '--account',
      'us-prod,eu-prod',
      '--chunk-size',
      '5',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = json(r);
    expect(out.map((o: { account: string }) => o.account)).toEqual(['us-prod', 'eu-prod']);
    for (const o of out) {
      expect(o).toMatchObject({ file: f.path, state: 'done', verified: true, sha256: f.sha256 });
      expect(o.datafile_checksum).toBe(f.sha256);
      expect((await download(o.datafile)).equals(f.data)).toBe(true);
    }
    expect(out[0].datafile.startsWith(us().url)).toBe(true);
    expect(out[1].datafile.startsWith(eu().url)).toBe(true);
    // One fan-out: the two targets share a group.
    expect(out[0].group_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(out[1].group_id).toBe(out[0].group_id);
    const listed = await s.run('uploads');
    expect(listed.stdout).toContain('fan-out: fw-2.3.1.bin → 2 accounts, 2 verified\n');
    const journal = json(await s.run('uploads', '--json'));
    expect(journal.map((u: { group_id: string }) => u.group_id)).toEqual([
      out[0].group_id,
      out[0].group_id,
    ]);
  });

  it('images show NAME --manifest-tool --account a,b: the payload section per account, labelled', async () => {
    const s = await session();
    const f = scratch.file('fw-2.4.0.bin', 64 * 1024);
    expect((await s.run('upload', f.path, '--account', 'us-prod,eu-prod')).code).toBe(0);
    const both = [
      'images',
      'show',
      'fw-2.4.0.bin',
      '--manifest-tool',
      '--account',
      'us-prod,eu-prod',
    ];
    const text = await s.run(...both);
    expect(text.code, text.stderr).toBe(0);
    const docs = yaml.loadAll(text.stdout) as Array<{ payload: { url: string } }>;
    expect(docs).toHaveLength(2);
    const fields = json(await s.run(...both, '--json')) as Array<{
      account: string;
      payload: { url: string; format: string };
    }>;
    expect(fields.map((t) => t.account)).toEqual(['us-prod', 'eu-prod']);
    expect(fields[0]?.payload.url.startsWith(us().url)).toBe(true);
    expect(fields[1]?.payload.url.startsWith(eu().url)).toBe(true);
    expect(docs.map((d) => d.payload.url)).toEqual(fields.map((t) => t.payload.url));
    // Each document says which account it is for, in a comment above it.
    const [first, second] = text.stdout.split(/^---$/m).filter((d) => d.trim() !== '');
    expect(first).toContain('us-prod');
    expect(second).toContain('eu-prod');
  });

  it('--all-accounts prints one line per target', async () => {
    const s = await session();
    const f = scratch.file('all.bin', 6 * MiB);
    const r = await s.run('upload', f.path, '--all-accounts');
    expect(r.code, r.stderr).toBe(0);
    // In the order the accounts are listed (by name).
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^all\.bin → eu-prod: uploaded and verified as image [0-9a-f]{32}/);
    expect(lines[1]).toMatch(/^all\.bin → us-prod: uploaded and verified as image [0-9a-f]{32}/);
  });

  it('all or nothing: a name taken on one target starts nothing, and says which account and why', async () => {
    const s = await session();
    const other = scratch.file('other.bin', 1000);
    expect(
      (await s.run('upload', other.path, '--name', 'fw-taken', '--account', 'eu-prod')).code,
    ).toBe(0);
    const f = scratch.file('fw.bin', 6 * MiB);
    const r = await s.run(
      'upload',
      f.path,
      '--name',
      'fw-taken',
      '--account',
      'us-prod,eu-prod',
      '--json',
    );
    expect(r.code).toBe(1);
    const out = json(r);
    expect(out).toEqual([
      expect.objectContaining({
        account: 'us-prod',
        state: 'not-started',
        upload_id: null,
        error: 'Not started: another target of this command was refused, so none was uploaded.',
      }),
      expect.objectContaining({ account: 'eu-prod', state: 'rejected', error_code: 'name-taken' }),
    ]);
    expect(out[1].error).toMatch(/^account "eu-prod" refused fw\.bin: .*"fw-taken"/);
    expect(r.stderr).toContain('account "eu-prod" refused fw.bin');
    expect(r.stderr).toContain('--partial');
    // Nothing journaled but the earlier upload, nothing on the other account's server.
    expect(json(await s.run('uploads', '--json'))).toHaveLength(1);
    expect(await imagesNamed(us().url, US_KEY, 'fw-taken')).toEqual([]);
    expect(await jobsNamed(us().url, US_KEY, 'fw-taken')).toEqual([]);
  });

  it('--partial: the refused target is reported, the other goes and is verified', async () => {
    const s = await session();
    const other = scratch.file('other.bin', 1000);
    expect(
      (await s.run('upload', other.path, '--name', 'fw-part', '--account', 'eu-prod')).code,
    ).toBe(0);
    const f = scratch.file('fw.bin', 6 * MiB);
    const r = await s.run(
      'upload',
      f.path,
      '--name',
      'fw-part',
      '--account',
      'us-prod,eu-prod',
      '--partial',
      '--json',
    );
    // Not everything was verified: exit 1, with both targets told.
    expect(r.code).toBe(1);
    expect(json(r)).toEqual([
      expect.objectContaining({ account: 'us-prod', state: 'done', verified: true }),
      expect.objectContaining({ account: 'eu-prod', state: 'rejected', error_code: 'name-taken' }),
    ]);
    expect(await imagesNamed(us().url, US_KEY, 'fw-part')).toHaveLength(1);
  });

  it('a fault on one target leaves the other verified; the faulted one finishes with resume', async () => {
    const s = await session();
    const f = scratch.file('stall.bin', 11 * MiB);
    // Even with one slot, targets on other hosts go at once: the stalled one holds no one up.
    oneAtATime(s.dataDir);
    // The eu host stalls on its first chunk; us goes on.
    eu().faults.inject({ kind: 'delay', ms: 120_000, method: 'POST', path: /chunks/, times: 1 });
    // eu first in the queue: with one slot, us would wait behind it if hosts did not go in parallel.
    const up = s.start('upload', f.path, '--account', 'eu-prod,us-prod', '--chunk-size', '5');
    await up.waitForStderr(/^stall\.bin → us-prod: done, verified/);
    up.child.kill('SIGINT');
    const stopped = await up.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/^stall\.bin → us-prod: uploaded and verified/);
    expect(stopped.stderr).toMatch(/stall\.bin → eu-prod: interrupted; run "firmdrop resume/);
    const rows = json(await s.run('uploads', '--json'));
    expect(rows.map((u: { state: string }) => u.state).sort()).toEqual(['done', 'interrupted']);
    eu().faults.clear();
    const resumed = await s.run('resume', '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(json(resumed)).toEqual([
      expect.objectContaining({
        account: 'eu-prod',
        state: 'done',
        verified: true,
        sha256: f.sha256,
      }),
    ]);
    const [image] = (await imagesNamed(eu().url, EU_KEY, 'stall.bin')) as Array<{
      datafile: string;
    }>;
    expect((await download(image!.datafile)).equals(f.data)).toBe(true);
  });

  it('names a bad --account list in its own words', async () => {
    const s = await session();
    const f = scratch.file('x.bin', 1000);
    const empty = await s.run('upload', f.path, '--account', 'us-prod,,eu-prod');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--account takes account names separated by commas');
    const both = await s.run('upload', f.path, '--account', 'us-prod', '--all-accounts');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
    const unknown = await s.run('upload', f.path, '--account', 'us-prod,nowhere');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('there is no account named "nowhere"');
  });
});
