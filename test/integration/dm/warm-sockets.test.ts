import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildConnector } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WARM_MAX_AGE_MS, WarmSockets } from '../../../src-main/dm/warm-sockets';

let server: Server;
let accepted = 0;
let url: URL;
const serverSide: Socket[] = [];

beforeAll(async () => {
  server = createServer((s) => {
    accepted++;
    serverSide.push(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  for (const s of serverSide) s.destroy();
  await new Promise((r) => server.close(r));
});

async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setImmediate(r));
}

const connect = (warm: WarmSockets) =>
  new Promise<Socket>((resolve, reject) =>
    warm.connector(
      { protocol: 'http:', hostname: '127.0.0.1', host: url.host, port: url.port },
      (err, socket) => (err ? reject(err) : resolve(socket as Socket)),
    ),
  );

describe('WarmSockets', () => {
  it('hands out a connection opened ahead, and opens none for it', async () => {
    let t = 0;
    const warm = new WarmSockets(buildConnector({}), url, () => t);
    const before = accepted;
    warm.open(1);
    await until(() => warm.waiting === 1 && accepted === before + 1);
    t += WARM_MAX_AGE_MS;
    const s = await connect(warm);
    expect(accepted).toBe(before + 1);
    expect(warm.waiting).toBe(0);
    s.destroy();
    warm.dispose();
  });

  it('one older than WARM_MAX_AGE_MS is closed, and a new one made instead', async () => {
    let t = 0;
    const warm = new WarmSockets(buildConnector({}), url, () => t);
    const before = accepted;
    warm.open(1);
    await until(() => warm.waiting === 1 && accepted === before + 1);
    t += WARM_MAX_AGE_MS + 1;
    const s = await connect(warm);
    expect(accepted).toBe(before + 2);
    s.destroy();
    warm.dispose();
  });

  it('one the server closes while it waits is dropped quietly', async () => {
    const warm = new WarmSockets(buildConnector({}), url);
    const before = serverSide.length;
    warm.open(1);
    await until(() => warm.waiting === 1 && serverSide.length === before + 1);
    serverSide.at(-1)!.destroy();
    await until(() => warm.waiting === 0);
    warm.dispose();
  });
});
