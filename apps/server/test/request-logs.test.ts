import net, { type AddressInfo } from 'node:net';
import { createLogger } from '@glaze/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvents, type TestServer, testServer } from './helpers';

/**
 * Every log line is one JSON object; a request's lines carry the id its response sends back in
 * X-Request-Id (the caller's own when sane); a client that hangs up is logged at debug, never error.
 */
interface Line {
  level: number;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}
const lines: Line[] = [];
const logger = createLogger('debug', { write: (line: string) => lines.push(JSON.parse(line)) });
const errorLevel = 50;

let server: TestServer;
let port: number;
beforeAll(async () => {
  server = await testServer({ logger });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  port = (server.app.server.address() as AddressInfo).port;
});
afterAll(() => server.close());

const linesOf = (id: string) => lines.filter((line) => line.requestId === id);

async function waitFor(found: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250 && !found(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!found()) throw new Error(`never saw ${what}; lines: ${JSON.stringify(lines.slice(-5))}`);
}

/** Opens the event stream of a new table over a real socket, sending `requestId` as X-Request-Id. */
async function eventsOfNewTable(name: string, requestId: string) {
  const created = await server.app.inject({
    method: 'POST',
    url: '/api/v1/tables',
    headers: server.auth,
    payload: { name, columns: ['name'] },
  });
  const url = `http://127.0.0.1:${port}/api/v1/tables/${created.json().table.id}/events`;
  return openEvents(url, { ...server.auth, 'x-request-id': requestId });
}

describe('request ids', () => {
  it("tags a request's log lines with the id its response sends back", async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/tables', headers: server.auth });
    expect(response.statusCode).toBe(200);
    const id = response.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => linesOf(id).length > 0, `a line with requestId ${id}`);
    expect(linesOf(id)).toContainEqual(
      expect.objectContaining({
        msg: 'request completed',
        method: 'GET',
        url: '/api/v1/tables',
        statusCode: 200,
      }),
    );
  });

  it("keeps a caller's sane X-Request-Id and replaces one that could forge a line", async () => {
    const given = await server.app.inject({
      method: 'GET',
      url: '/api/v1/tables/999999',
      headers: { ...server.auth, 'x-request-id': 'edge-7f3a.42' },
    });
    expect(given.statusCode).toBe(404);
    expect(given.headers['x-request-id']).toBe('edge-7f3a.42');
    await waitFor(() => linesOf('edge-7f3a.42').length > 0, 'the given id');

    for (const bad of ['two words', 'x'.repeat(129), 'a"b']) {
      const response = await server.app.inject({
        method: 'GET',
        url: '/api/v1/tables',
        headers: { ...server.auth, 'x-request-id': bad },
      });
      expect(response.headers['x-request-id']).not.toBe(bad);
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('sends the id on an event stream too (a hijacked reply)', async () => {
    const events = await eventsOfNewTable('Ids', 'stream-1');
    expect(events.response.headers.get('x-request-id')).toBe('stream-1');
    events.close();
  });
});

describe('a client that hangs up', () => {
  it('closing an event stream is a debug line, not an error', async () => {
    const events = await eventsOfNewTable('Closed', 'closing-tab');
    expect((await events.next()).event).toBe('ready');
    events.close();
    await waitFor(
      () => linesOf('closing-tab').some((line) => line.msg === 'client closed the event stream'),
      'the stream closed',
    );
    expect(linesOf('closing-tab').map((line) => line.level)).not.toContain(errorLevel);
    expect(Math.max(...linesOf('closing-tab').map((line) => line.level))).toBeLessThanOrEqual(20);
  });

  it('an upload cut off halfway is not an error', async () => {
    const outagesBefore = server.hub.health.unreachableErrors;
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /api/v1/tables/import?name=Cut HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        `Authorization: ${server.auth.authorization}\r\n` +
        'Content-Type: text/csv\r\nContent-Length: 100000000\r\nX-Request-Id: cut-upload\r\n\r\nname,email\n',
    );
    // Enough rows that the import is copying them into the database when the body stops.
    socket.write('A,a@example.com\n'.repeat(200_000));
    // Time for the handler to start reading the body (the test holds either way; this makes it bite).
    await new Promise((r) => setTimeout(r, 300));
    socket.destroy();
    await waitFor(
      () =>
        linesOf('cut-upload').some((line) => line.msg === 'client closed the connection before the reply'),
      'the cut-off upload ended',
    );
    // The handler's import fails on the cut body a moment later: give a wrong error line time to come.
    await new Promise((r) => setTimeout(r, 500));
    expect(linesOf('cut-upload').map((line) => line.level)).not.toContain(errorLevel);
    // The cut body's error (`aborted`, ECONNRESET) is the client's: not a database that went away,
    // which would log an outage and hold every request and chunk until a probe answered.
    expect(server.hub.health.unreachableErrors).toBe(outagesBefore);
    const after = await server.app.inject({ method: 'GET', url: '/api/v1/tables', headers: server.auth });
    expect(after.statusCode).toBe(200);
    expect(after.json().tables.map((table: { name: string }) => table.name)).not.toContain('Cut');
  });
});
