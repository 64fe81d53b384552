import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvents, type TestServer, testServer } from './helpers';

/**
 * A watcher that stops reading is reset and dropped once 32 KiB sit unread for it, while another
 * watcher of the same table keeps receiving everything; the hub never waits for the slow one.
 */
let server: TestServer;
let port: number;
beforeAll(async () => {
  server = await testServer({ sse: { maxBufferBytes: 32 * 1024 } });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  port = (server.app.server.address() as AddressInfo).port;
});
afterAll(() => server.close());

/** An SSE request on a raw socket that never reads what the server sends (until `drain`). */
function stalledClient(path: string, token: string) {
  const socket = net.connect(port, '127.0.0.1');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`);
  socket.pause();
  return {
    /** Reads everything the server sent until the response ended (its last chunk) or the socket closed. */
    async drain(): Promise<string> {
      let text = '';
      await new Promise<void>((resolve) => {
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.endsWith('\r\n0\r\n\r\n')) resolve();
        });
        socket.once('close', () => resolve());
        socket.resume();
      });
      socket.destroy();
      return text;
    },
    destroy: () => socket.destroy(),
  };
}

describe('a slow client', () => {
  it('is reset and dropped while a fast one keeps receiving', async () => {
    const post = (path: string, body: unknown) =>
      server.app.inject({
        method: 'POST',
        url: `/api/v1${path}`,
        headers: { ...server.auth, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    const table = (await post('/tables', { name: 'Busy', columns: ['blob'] })).json().table;
    const token = server.auth.authorization.slice('Bearer '.length);
    const fast = await openEvents(`http://127.0.0.1:${port}/api/v1/tables/${table.id}/events`, server.auth);
    expect((await fast.next()).event).toBe('ready');
    const slow = stalledClient(`/api/v1/tables/${table.id}/events`, token);
    const feed = () => server.hub.feeds.get(table.id);
    for (let i = 0; i < 50 && (feed()?.subs.size ?? 0) < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(feed()?.subs.size).toBe(2);

    // 24 MiB of row changes in 1 MiB requests: far more than a socket buffers for a client that never reads.
    const blob = 'x'.repeat(1000);
    let received = 0;
    const wanted = 24 * 1000;
    // Read the slow one as soon as it is dropped: a reset client that still reads nothing is cut off
    // 10 s later, and 24 batches can take longer than that on a loaded machine.
    let dropped: Promise<string> | undefined;
    for (let batch = 0; batch < 24; batch++) {
      expect(
        (await post(`/tables/${table.id}/rows`, { rows: Array.from({ length: 1000 }, () => ({ blob })) }))
          .statusCode,
      ).toBe(201);
      // The fast client keeps up as a browser would.
      while (received < (batch + 1) * 1000) {
        const event = await fast.next(10_000);
        if (event.event === 'changes') received += (event.data as { rows: unknown[] }).rows.length;
      }
      if (!dropped && (feed()?.subs.size ?? 0) < 2) dropped = slow.drain();
    }
    expect(received).toBe(wanted);
    expect(feed()?.subs.size).toBe(1); // the slow one was dropped; the fast one is still there
    const text = await (dropped ?? slow.drain());
    expect(text).toMatch(/event: reset\ndata: \{"reason":"slow"\}/);
    fast.close();
  });
});
