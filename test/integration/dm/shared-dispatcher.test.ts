import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDmClient } from '../../../src-main/dm/client';

let server: Server;
let url = '';
let connections = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ object: 'list', data: [], has_more: false, limit: 2, total_count: 3 }),
    );
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('one dispatcher per host', () => {
  it('clients of one host reuse one kept-alive connection, even one made just after the last closed', async () => {
    connections = 0;
    const a = createDmClient({ baseUrl: url, apiKey: 'ak_a_0123456789' });
    const b = createDmClient({ baseUrl: url, apiKey: 'ak_b_0123456789' });
    expect(await a.countImages()).toBe(3);
    await a.close();
    // a is closed, but b shares its connection: still open, and used again.
    expect(await b.countImages()).toBe(3);
    expect(connections).toBe(1);
    await b.close();
    // As the CLI does: a client for one question is closed, the uploads' client made at once.
    const c = createDmClient({ baseUrl: url, apiKey: 'ak_c_0123456789' });
    expect(await c.countImages()).toBe(3);
    expect(connections).toBe(1);
    await c.close();
  });
});
