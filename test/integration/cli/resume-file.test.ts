import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import { startSandbox, type Sandbox } from '../../../src-sandbox';
import {
  download,
  envCredentials,
  json,
  runCli,
  startCli,
  useBuiltCli,
  useScratch,
} from './cli-fixture';

const KEY = 'ak_cli_resume_file_0123456789';
const cli = useBuiltCli();
const scratch = useScratch();
let sb: Sandbox | undefined;

afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('firmdrop resume ID --file NEW_PATH', () => {
  it('continues an upload whose file moved, after refusing files that are not the same', async () => {
    sb = await startSandbox({ accounts: [{ key: KEY, tier: '1' }] });
    const dataDir = join(scratch.dir(), 'data');
    const env = envCredentials(sb.url, KEY);
    const args = (...a: string[]) => ['--data-dir', dataDir, ...a];
    const run = (...a: string[]) => runCli(cli(), args(...a), { env });
    const f = scratch.file('moving.bin', 15 * MiB);
    sb.faults.setBandwidth(8 * MiB);
    const first = startCli(cli(), args('upload', f.path, '--chunk-size', '5'), { env });
    await first.waitForStderr(/^moving\.bin: uploading chunk 2 of 3$/);
    first.child.kill('SIGKILL');
    await first.done;
    sb.faults.setBandwidth(null);

    // Moved (a copy, so its mtime is new, and the original gone).
    const moved = join(scratch.dir(), 'elsewhere.bin');
    copyFileSync(f.path, moved);
    rmSync(f.path);
    const [row] = json(await run('uploads', '--json'));
    const lost = await run('resume', row.id);
    expect(lost.code).toBe(1);
    expect(lost.stderr).toContain(`If it moved, run "firmdrop resume ${row.id} --file NEW_PATH".`);

    const impostor = join(scratch.dir(), 'impostor.bin');
    const other = Buffer.from(f.data);
    other[0] = (other[0] ?? 0) ^ 0xff;
    writeFileSync(impostor, other);
    const refused = await run('resume', row.id, '--file', impostor);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `firmdrop: ${impostor} is not the file upload ${row.id} ("moving.bin") began with: its bytes 0 to 5,242,880 (chunk 1, already on the server) differ. Nothing was changed; give the path of the file it began with (moving.bin), or upload this one with "firmdrop upload".\n`,
    );
    const short = scratch.file('short.bin', 100);
    const wrongSize = await run('resume', row.id, '--file', short.path);
    expect(wrongSize.code).toBe(1);
    expect(wrongSize.stderr).toContain("it has 100 bytes, the upload's file had 15,728,640");
    expect(json(await run('uploads', '--json'))[0]).toMatchObject({
      file: f.path,
      state: 'failed',
    });
    expect(sb.stats().chunksAppended).toBeLessThan(3);

    const resumed = await run('resume', row.id.slice(0, 8), '--file', moved, '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`moving.bin: the file is now read from ${moved}.`);
    const [out] = json(resumed);
    expect(out).toMatchObject({ file: moved, verified: true, datafile_checksum: f.sha256 });
    expect((await download(out.datafile)).equals(f.data)).toBe(true);
    // What was on the server was kept: every chunk appended exactly once over both runs.
    expect(sb.stats().chunksAppended).toBe(3);
    expect(sb.stats().jobsCompleted).toBe(1);
  });

  it('needs an UPLOAD_ID', async () => {
    const r = await runCli(cli(), ['resume', '--file', '/tmp/x.bin']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "firmdrop resume: --file gives one upload's file a new path: give its UPLOAD_ID too.\n",
    );
  });
});
