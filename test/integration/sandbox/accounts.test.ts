import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src-sandbox';
import { api, createJob, http, postImage } from '../../helpers/sandbox-client';
import { useSandbox } from '../../helpers/sandbox-fixture';

const sandbox = useSandbox({
  accounts: [
    { key: 'key-free', tier: '0', name: 'Free Co' },
    { key: 'key-commercial', tier: '1' },
    { key: 'key-partner', tier: '2', id: '0123456789abcdef0123456789abcdef' },
  ],
});

describe('sandbox accounts and auth', () => {
  it('binds to 127.0.0.1 and exposes its accounts', () => {
    const sb = sandbox();
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sb.accounts.map((a) => [a.key, a.tier])).toEqual([
      ['key-free', '0'],
      ['key-commercial', '1'],
      ['key-partner', '2'],
    ]);
    for (const a of sb.accounts) expect(a.id).toMatch(/^[0-9a-f]{32}$/);
    expect(sb.accounts[2]?.id).toBe('0123456789abcdef0123456789abcdef');
  });

  it('answers GET /v3/accounts/me with the AccountInfo of the key', async () => {
    const sb = sandbox();
    const res = await api(sb.url, 'key-free', 'GET', '/v3/accounts/me');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      object: 'account',
      id: sb.accounts[0]?.id,
      display_name: 'Free Co',
      tier: '0',
      status: 'ACTIVE',
      end_market: expect.any(String),
      etag: expect.any(String),
    });
    const partner = await api(sb.url, 'key-partner', 'GET', '/v3/accounts/me/');
    expect(partner.json.tier).toBe('2');
  });

  it.each([
    ['no Authorization header', null],
    ['an unknown key', 'nope'],
  ])('refuses %s with 401 and an ErrorResponse', async (_label, key) => {
    const sb = sandbox();
    for (const path of [
      '/v3/accounts/me',
      '/v3/firmware-images/',
      '/v3/firmware-images/upload-jobs',
    ]) {
      const res = await api(sb.url, key, 'GET', path);
      expect(res.status).toBe(401);
      expect(res.json).toEqual({
        code: 401,
        message: expect.any(String),
        object: 'error',
        request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        type: 'unauthorized',
        fields: [],
      });
    }
  });

  it('refuses a non-Bearer Authorization header', async () => {
    const res = await http(`${sandbox().url}/v3/accounts/me`, {
      headers: { authorization: 'Basic a2V5LWZyZWU6' },
    });
    expect(res.status).toBe(401);
  });

  it("keeps each account's images and jobs to itself (404 for the others')", async () => {
    const sb = sandbox();
    const image = (
      await postImage(sb.url, 'key-free', { data: Buffer.from('mine'), name: 'iso-img' })
    ).json;
    const job = await createJob(sb.url, 'key-free', { name: 'iso-job' });
    const other = 'key-commercial';
    for (const path of [
      `/v3/firmware-images/${image.id}/`,
      `/v3/firmware-images/upload-jobs/${job.id}`,
      `/v3/firmware-images/upload-jobs/${job.id}/chunks`,
    ]) {
      const res = await api(sb.url, other, 'GET', path);
      expect(res.status).toBe(404);
      expect(res.json).toMatchObject({ code: 404, object: 'error', type: 'not_found' });
    }
    expect((await api(sb.url, other, 'DELETE', `/v3/firmware-images/${image.id}/`)).status).toBe(
      404,
    );
    expect(
      (await api(sb.url, other, 'DELETE', `/v3/firmware-images/upload-jobs/${job.id}`)).status,
    ).toBe(404);
    const list = await api(sb.url, other, 'GET', '/v3/firmware-images/?include=total_count');
    expect(list.json.data.map((i: { id: string }) => i.id)).not.toContain(image.id);
    // The same names are free in another account.
    expect(
      (await postImage(sb.url, other, { data: Buffer.from('x'), name: 'iso-img' })).status,
    ).toBe(201);
    expect((await api(sb.url, 'key-free', 'GET', `/v3/firmware-images/${image.id}`)).status).toBe(
      200,
    );
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    const sb = sandbox();
    expect((await api(sb.url, 'key-free', 'GET', '/v3/nothing-here')).status).toBe(404);
    const res = await api(sb.url, 'key-free', 'PATCH', '/v3/firmware-images/upload-jobs');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
  });
});

describe('sandbox defaults', () => {
  it('makes one free account with a generated key when none is given', async () => {
    const sb = await startSandbox();
    try {
      expect(sb.accounts).toHaveLength(1);
      const [account] = sb.accounts;
      expect(account?.tier).toBe('0');
      expect(account?.key).toMatch(/^ak_sandbox_[0-9a-f]{40}$/);
      const res = await api(sb.url, account?.key ?? '', 'GET', '/v3/accounts/me');
      expect(res.json).toMatchObject({ id: account?.id, tier: '0' });
    } finally {
      await sb.close();
    }
  });

  it('refuses invalid account specs', async () => {
    await expect(startSandbox({ accounts: [{ key: 'k', tier: '3' as '0' }] })).rejects.toThrow(
      /tier/,
    );
    await expect(
      startSandbox({
        accounts: [
          { key: 'k', tier: '0' },
          { key: 'k', tier: '1' },
        ],
      }),
    ).rejects.toThrow(/twice/);
  });
});
