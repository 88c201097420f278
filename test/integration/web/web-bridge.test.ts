import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewUpload } from '../../../src-main/app/contract';
import { createDisconnectedBridge, createWebBridge } from '../../../src-renderer/lib/web-bridge';
import { startFixture } from './fixture';
import type { Fixture } from './fixture';

// The renderer's HTTP bridge against the real web shell: the two halves of one transport.
describe('renderer web bridge over the web shell', () => {
  let fx: Fixture;
  const added: NewUpload[][] = [];
  beforeAll(async () => {
    fx = await startFixture({
      'settings:update': async ({ proxyCredentials: _login, ...patch }) => ({
        ok: true,
        value: {
          chunkSizeMiB: 10,
          filesAtOnce: 2,
          smallThresholdMiB: 50,
          keepCompletedJobs: false,
          limitRateKiB: 0,
          proxyUrl: '',
          proxyHasCredentials: false,
          caCertFile: '',
          theme: 'system',
          defaultAccountId: '',
          ...patch,
        },
      }),
      'uploads:add': async ({ uploads }) => {
        added.push(uploads);
        return { ok: true, value: [] };
      },
    });
  });
  afterAll(() => fx.close());

  const bridge = () =>
    createWebBridge({ token: fx.shell.token, baseUrl: `http://127.0.0.1:${fx.shell.port}` });

  it('invokes a channel and gets its Result back', async () => {
    const result = await bridge().invoke('settings:update', { chunkSizeMiB: 25 });
    expect(result).toMatchObject({ ok: true, value: { chunkSizeMiB: 25 } });
    expect(bridge().shell).toBe('web');
  });

  it('turns a refused token into an error Result, not an exception', async () => {
    const wrong = createWebBridge({
      token: 'nope',
      baseUrl: `http://127.0.0.1:${fx.shell.port}`,
    });
    expect(await wrong.invoke('app:info')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('streams files to staging, byte-exact, and the refs are accepted by uploads:add', async () => {
    const a = new File([Buffer.alloc(3 * 1024 * 1024, 0xab)], 'fw-a.bin');
    const b = new File(['tiny'], 'fw b.bin');
    const staged = await bridge().stageFiles([a, b]);
    if (!staged.ok) throw new Error(staged.error.message);
    expect(staged.value.map((s) => [s.fileName, s.size])).toEqual([
      ['fw-a.bin', 3 * 1024 * 1024],
      ['fw b.bin', 4],
    ]);
    const [first, second] = staged.value;
    const pathA = fx.shell.resolveStagedRef(first?.ref ?? '');
    expect((await readFile(pathA ?? '')).equals(Buffer.alloc(3 * 1024 * 1024, 0xab))).toBe(true);
    expect(await readFile(fx.shell.resolveStagedRef(second?.ref ?? '') ?? '', 'utf8')).toBe('tiny');

    const result = await bridge().invoke('uploads:add', {
      uploads: staged.value.map((file) => ({ file, accountId: 'acc-1' })),
    });
    expect(result.ok).toBe(true);
    expect(added.at(-1)?.map((u) => u.file.ref)).toEqual(staged.value.map((s) => s.ref));
  });

  it('answers with a network error when the shell is gone', async () => {
    const gone = createWebBridge({ token: 't', baseUrl: 'http://127.0.0.1:9' });
    expect(await gone.invoke('app:info')).toMatchObject({ ok: false, error: { code: 'network' } });
    expect(await gone.stageFiles([new File(['x'], 'x')])).toMatchObject({ ok: false });
  });

  it('has a disconnected stand-in that explains itself and never throws', async () => {
    const off = createDisconnectedBridge();
    const result = await off.invoke('accounts:list');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error.message).toMatch(/npm run web/);
    expect(off.on('notice', () => {})).toBeTypeOf('function');
  });
});
