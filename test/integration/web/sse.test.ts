import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS } from '../../../src-main/app/contract';
import { startFixture } from './fixture';
import type { Fixture } from './fixture';

/** Opens the event stream and collects its raw text until `until` holds. */
function openStream(fx: Fixture, query: string, headers: Record<string, string> = {}) {
  let text = '';
  let status = 0;
  let req: ClientRequest | null = null;
  const waiters: Array<{ test: (t: string) => boolean; done: () => void }> = [];
  const opened = new Promise<void>((resolve, reject) => {
    req = request(
      {
        host: '127.0.0.1',
        port: fx.shell.port,
        path: `/api/events${query}`,
        headers: { host: `127.0.0.1:${fx.shell.port}`, ...headers },
      },
      (res) => {
        status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (part: string) => {
          text += part;
          for (const w of [...waiters]) if (w.test(text)) w.done();
        });
        resolve();
      },
    );
    req.on('error', reject);
    req.end();
  });
  return {
    opened,
    status: () => status,
    until: (test: (t: string) => boolean) =>
      new Promise<string>((resolve) => {
        if (test(text)) resolve(text);
        else waiters.push({ test, done: () => resolve(text) });
      }),
    close: () => req?.destroy(),
  };
}

describe('web shell events (SSE)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(() => fx.close());

  it('delivers every event with its name and JSON payload, then unsubscribes on close', async () => {
    const stream = openStream(fx, '', { 'x-firmdrop-token': fx.shell.token });
    await stream.opened;
    expect(stream.status()).toBe(200);
    await stream.until((t) => t.includes(': connected'));
    const listening = () => EVENTS.filter((e) => fx.events.hasListeners(e));
    expect(listening()).toEqual([...EVENTS]);

    fx.events.emit('network:changed', { online: false, outages: [] });
    fx.events.emit('notice', { level: 'warning', message: 'Two lines?\nNo: JSON escapes it.' });
    const text = await stream.until((t) => t.includes('event: notice'));
    expect(text).toContain('event: network:changed\ndata: {"online":false,"outages":[]}\n\n');
    expect(text).toContain(
      'event: notice\ndata: {"level":"warning","message":"Two lines?\\nNo: JSON escapes it."}\n\n',
    );

    stream.close();
    await expect.poll(listening, { timeout: 2000 }).toEqual([]);
  });

  it('refuses the stream without the token, and with the token in the query', async () => {
    const stream = openStream(fx, '');
    await stream.opened;
    expect(stream.status()).toBe(401);
    stream.close();
    // A token in a URL ends up in logs and history: the page's stream uses its cookie instead.
    const queried = openStream(fx, `?token=${fx.shell.token}`);
    await queried.opened;
    expect(queried.status()).toBe(401);
    queried.close();
  });
});
