import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirmdropError } from '../../../src-main/core/errors';
import { createDmClient, type DmClient } from '../../../src-main/dm/client';
import { startCapture } from './local-servers';
import { KEY } from './secrets';

// Every client call that puts an id in a URL refuses a bad one before anything is sent: the local
// server must see no request at all, whatever the id tries ("..", a slash, a percent escape).
let server: Awaited<ReturnType<typeof startCapture>>;
let dm: DmClient;

beforeAll(async () => {
  server = await startCapture((_req, res) => res.writeHead(204).end());
  dm = createDmClient({ baseUrl: server.url, apiKey: KEY, env: {}, retry: { maxAttempts: 1 } });
});
afterAll(async () => {
  await dm.close();
  await server.close();
});

const BAD = ['..', '.', '', '../x', 'a/b', '%2e%2e', 'a b', 'abc\n', 'a?x=1', 'a#b'];
const MD5 = '1B2M2Y8AsgTpgAmY7PhCfg==';

const calls: Array<[string, (id: string) => Promise<unknown>]> = [
  ['getImage', (id) => dm.getImage(id)],
  ['deleteImage', (id) => dm.deleteImage(id)],
  ['getUploadJob', (id) => dm.getUploadJob(id)],
  ['updateUploadJob', (id) => dm.updateUploadJob(id, { name: 'n' })],
  ['deleteUploadJob', (id) => dm.deleteUploadJob(id)],
  ['listChunks', (id) => dm.listChunks(id)],
  ['getChunk', (id) => dm.getChunk(id, 1)],
  ['appendChunk', (id) => dm.appendChunk(id, { body: new Uint8Array(8), md5Base64: MD5 })],
  ['completeUploadJob', (id) => dm.completeUploadJob(id)],
];

describe('ids in URLs', () => {
  it.each(calls)('%s refuses every bad id before sending', async (_name, call) => {
    for (const id of BAD) {
      const pending = call(id); // a rejected promise, never a synchronous throw
      expect(pending).toBeInstanceOf(Promise);
      const err = await pending.catch((e: unknown) => e);
      expect(err, JSON.stringify(id)).toBeInstanceOf(FirmdropError);
      expect((err as FirmdropError).code).toBe('invalid-input');
      expect((err as FirmdropError).message).toContain('so nothing was sent');
    }
    expect(server.requests).toEqual([]);
  });

  it('getChunk refuses a chunk id that is not a whole number', async () => {
    for (const chunk of [-1, 1.5, Number.NaN]) {
      const err = await dm.getChunk('abc', chunk).catch((e: unknown) => e);
      expect((err as FirmdropError).code).toBe('invalid-input');
    }
    expect(server.requests).toEqual([]);
  });

  it('a good id goes out as it is', async () => {
    await dm.deleteImage('01658f9a587800000000000100100024');
    await dm.deleteUploadJob('01658f9a586800000000000100100023');
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'DELETE /v3/firmware-images/01658f9a587800000000000100100024/',
      'DELETE /v3/firmware-images/upload-jobs/01658f9a586800000000000100100023',
    ]);
  });
});
