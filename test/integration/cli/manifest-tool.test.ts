import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../../helpers/sandbox-fixture';
import { envCredentials, json, runCli, useBuiltCli, useScratch } from './cli-fixture';

const KEY = 'ak_cli_manifest_0123456789';
const cli = useBuiltCli();
const sandbox = useSandbox({ accounts: [{ key: KEY, tier: '1' }] });
const scratch = useScratch();
let n = 0;

function session() {
  const dataDir = join(scratch.dir(), `data-${++n}`);
  const env = envCredentials(sandbox().url, KEY);
  return { run: (...args: string[]) => runCli(cli(), ['--data-dir', dataDir, ...args], { env }) };
}

describe('firmdrop images show --manifest-tool', () => {
  it('prints the payload section with the datafile URL and the local file, then as JSON', async () => {
    const s = session();
    const f = scratch.file('mt-plain.bin', 5000);
    const [up] = json(await s.run('upload', f.path, '--json'));
    const image = json(await s.run('images', 'show', up.firmware_image_id, '--json'));

    const shown = await s.run('images', 'show', up.firmware_image_id, '--manifest-tool');
    expect(shown.code, shown.stderr).toBe(0);
    expect(yaml.load(shown.stdout)).toEqual({
      payload: { url: image.datafile, format: 'raw-binary', 'file-path': f.path },
    });
    expect(shown.stdout).toContain(
      `# manifest-tool hashes file-path itself; the uploaded file has SHA-256 ${f.sha256}, 5000 bytes.`,
    );
    expect(shown.stdout).toMatch(
      /^# Firmdrop: image "mt-plain\.bin" \([0-9a-f]+\) on account "env:/,
    );

    expect(
      json(await s.run('images', 'show', up.firmware_image_id, '--manifest-tool', '--json')),
    ).toEqual({
      account: expect.stringMatching(/^env:127\.0\.0\.1:/),
      image_id: up.firmware_image_id,
      datafile_size: 5000,
      datafile_checksum: f.sha256,
      payload: { url: image.datafile, format: 'raw-binary', 'file-path': f.path },
    });

    // The file changed since it was verified: its path no longer stands for the image.
    appendFileSync(f.path, 'more');
    const changed = await s.run('images', 'show', up.firmware_image_id, '--manifest-tool');
    expect(yaml.load(changed.stdout)).toEqual({
      payload: { url: image.datafile, format: 'raw-binary' },
    });
    expect(changed.stdout).toContain('  # file-path: required by manifest-tool');
  });

  it('gives an encrypted image as encrypted-raw with the encrypted size and SHA-256', async () => {
    const s = session();
    const f = scratch.file('mt-enc.bin', 3000);
    const [up] = json(await s.run('upload', f.path, '--encrypt', '--json'));
    const image = json(await s.run('images', 'show', up.firmware_image_id, '--json'));
    expect(image.datafile_encryption).toBe(true);

    const shown = await s.run('images', 'show', up.firmware_image_id, '--manifest-tool');
    expect(shown.code, shown.stderr).toBe(0);
    expect(yaml.load(shown.stdout)).toEqual({
      payload: {
        url: image.datafile,
        format: 'encrypted-raw',
        'file-path': f.path,
        encrypted: {
          digest: image.encrypted_datafile_checksum,
          size: image.encrypted_datafile_size,
        },
      },
    });
    expect(image.encrypted_datafile_checksum).not.toBe(f.sha256);
    expect(shown.stdout).toContain('# Encrypted on the service:');
  });

  it('names the flag and the command it goes with when misused', async () => {
    const s = session();
    const wrong = await s.run('images', 'list', '--manifest-tool');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--manifest-tool goes with "images show <ID|NAME>"');
  });
});
