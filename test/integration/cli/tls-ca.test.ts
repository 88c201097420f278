import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MiB } from '../../../src-main/core/limits';
import {
  childEnv,
  envCredentials,
  json,
  runCli,
  useBuiltCli,
  useScratch,
  type Env,
} from './cli-fixture';

/**
 * `firmdrop sandbox --tls` in its own process, and `firmdrop upload` to it: refused with the TLS
 * advice while its certificate is not trusted, accepted with --ca FILE or NODE_EXTRA_CA_CERTS.
 */
const KEY = 'ak_tls_0123456789abcdef';
const cli = useBuiltCli();
const scratch = useScratch();
let sandbox: ChildProcess;
let url = '';
let certPath = '';
let n = 0;

beforeAll(async () => {
  sandbox = spawn(process.execPath, [cli(), 'sandbox', '--tls', '--key', `${KEY}:1`], {
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const lines = createInterface({ input: sandbox.stdout as NodeJS.ReadableStream })[
    Symbol.asyncIterator
  ]();
  url = (await lines.next()).value ?? '';
  certPath = (await lines.next()).value ?? '';
}, 60_000);

afterAll(async () => {
  if (sandbox.exitCode === null) {
    const exited = new Promise((done) => sandbox.once('exit', done));
    sandbox.kill('SIGTERM');
    await exited;
  }
});

function upload(extraArgs: string[], env: Env) {
  const file = scratch.file(`fw-${++n}.bin`, 6 * MiB + 123);
  const dataDir = join(scratch.dir(), `data-${n}`);
  const run = runCli(
    cli(),
    ['--data-dir', dataDir, ...extraArgs, 'upload', file.path, '--chunk-size', '5', '--json'],
    { env: { ...envCredentials(url, KEY), NODE_EXTRA_CA_CERTS: undefined, ...env } },
  );
  return { file, run };
}

describe('firmdrop and a sandbox behind TLS', () => {
  it('sandbox --tls prints an https URL, then the path of its certificate (PEM, in its data folder)', () => {
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(certPath).toMatch(/sandbox-ca\.pem$/);
    expect(readFileSync(certPath, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('an untrusted certificate fails the upload with the TLS advice', async () => {
    const { run } = upload([], {});
    const r = await run;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('TLS certificate not trusted');
    expect(r.stderr).toContain('--ca FILE');
    expect(r.stderr).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('--ca FILE trusts the sandbox: the upload succeeds and is verified', async () => {
    const { file, run } = upload(['--ca', certPath], {});
    const r = await run;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [report] = json(r);
    expect(report).toMatchObject({ state: 'done', verified: true, sha256: file.sha256 });
  });

  it('NODE_EXTRA_CA_CERTS trusts the sandbox as well', async () => {
    const { file, run } = upload([], { NODE_EXTRA_CA_CERTS: certPath });
    const r = await run;
    expect(r.code).toBe(0);
    expect(json(r)[0]).toMatchObject({ state: 'done', verified: true, sha256: file.sha256 });
  });

  it('--ca with a file that holds no certificate is refused before anything is sent', async () => {
    const notPem = join(scratch.dir(), 'not-a-cert.txt');
    writeFileSync(notPem, 'hello\n');
    const r = await upload(['--ca', notPem], {}).run;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`--ca: ${notPem} holds no PEM certificate`);
  });
});
