import { describe, expect, it } from 'vitest';
import { FirmdropError } from '../../../src-main/core/errors';
import type { FirmdropApi } from '../../../src-main/app/contract';
import { CHANNELS } from '../../../src-main/app/contract';
import { checkInput, dispatch, isChannel } from '../../../src-main/app/input-guards';

describe('input guards', () => {
  it('know every channel of the contract', () => {
    for (const c of CHANNELS) expect(isChannel(c)).toBe(true);
    expect(isChannel('fs:read')).toBe(false);
    expect(isChannel('__proto__')).toBe(false);
    expect(isChannel(42)).toBe(false);
  });

  it.each([
    ['accounts:add', { name: 'Lab', region: 'eu', apiKey: 'ak_1' }, true],
    ['accounts:add', { name: 'Lab', region: 'mars', apiKey: 'ak_1' }, false],
    ['accounts:add', { name: 'Lab', region: 'eu', apiKey: 'ak_1', extra: 1 }, false],
    ['accounts:remove', { id: '' }, false],
    ['accounts:list', undefined, true],
    ['accounts:list', { sneaky: true }, false],
    ['images:list', { accountId: 'a', limit: 1 }, false],
    ['images:list', { accountId: 'a', limit: 50, after: 'x' }, true],
    ['uploads:add', { uploads: [] }, false],
    [
      'uploads:add',
      { uploads: [{ file: { ref: '/f', fileName: 'f', size: 1 }, accountId: 'a' }] },
      true,
    ],
    ['settings:update', { chunkSizeMiB: 4 }, false],
    ['settings:update', { chunkSizeMiB: 16, theme: 'dark' }, true],
  ] as const)('%s %j → accepted=%s', (channel, input, accepted) => {
    expect(checkInput(channel, input).ok).toBe(accepted);
  });

  it('never echo the refused input (it may carry an API key)', () => {
    const r = checkInput('accounts:add', {
      name: 'Lab',
      region: 'nowhere',
      apiKey: 'ak_secret_123',
    });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain('ak_secret_123');
  });
});

describe('dispatch', () => {
  const api = {
    'accounts:list': async () => ({ ok: true, value: [] }),
    'accounts:remove': async () => {
      throw new FirmdropError('not-found', 'No such account.');
    },
    'accounts:quota': async () => {
      throw new TypeError('boom');
    },
  } as unknown as FirmdropApi;

  it('runs a valid call', async () => {
    expect(await dispatch(api, 'accounts:list', undefined)).toEqual({ ok: true, value: [] });
  });

  it('turns away unknown channels', async () => {
    const r = await dispatch(api, 'shell:exec', 'rm -rf /');
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('turns exceptions into results, keeping typed codes', async () => {
    expect(await dispatch(api, 'accounts:remove', { id: 'x' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'No such account.' },
    });
    expect(await dispatch(api, 'accounts:quota', { id: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });
});
