import { type AddressInfo, connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openEvents, testServer } from './helpers';

/**
 * Closing the server (SIGTERM to `glaze start`) ends what never ends by itself: the open event
 * streams, and connections that never sent a request (a browser's preconnect), for which Node's
 * `server.close()` waits on its own — `glaze start` was still up 90 s after SIGTERM with one open.
 */
describe('closing the server', () => {
  it('ends the event streams and hangs up connections that sent no request', async () => {
    const server = await testServer();
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = server.app.server.address() as AddressInfo;
    const { table } = await (
      await fetch(`http://127.0.0.1:${port}/api/v1/tables/import?name=Close`, {
        method: 'POST',
        headers: { ...server.auth, 'content-type': 'text/csv' },
        body: 'name\nAda\n',
      })
    ).json();
    const events = await openEvents(`http://127.0.0.1:${port}/api/v1/tables/${table.id}/events`, server.auth);
    expect((await events.next()).event).toBe('ready');
    const preconnect: Socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => preconnect.once('connect', resolve));
    const hungUp = new Promise((resolve) => preconnect.once('close', resolve));

    await server.close();
    await hungUp;
    await expect(events.next(5_000)).rejects.toThrow('the event stream ended');
  });
});
