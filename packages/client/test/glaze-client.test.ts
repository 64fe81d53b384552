import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../../../apps/server/test/helpers';
import { createGlazeClient, type GlazeClient, GlazeError, operationRoutes } from '../src/index';

/** The client's methods against a real server: JSON and CSV both ways, errors as GlazeError. */
let server: TestServer;
let glaze: GlazeClient;
beforeAll(async () => {
  server = await testServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  glaze = createGlazeClient({
    baseUrl: `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`,
    token: server.auth.authorization.slice('Bearer '.length),
  });
});
afterAll(() => server.close());

describe('createGlazeClient', () => {
  it('has a method per operationId, but the event stream (subscribe reads it)', () => {
    expect(Object.keys(operationRoutes).length).toBeGreaterThanOrEqual(40);
    const methods = Object.keys(operationRoutes).filter((name) => name !== 'streamEvents');
    for (const name of methods) expect(typeof glaze[name as 'listTables'], name).toBe('function');
    expect('streamEvents' in glaze).toBe(false); // subscribe() reads the stream
  });

  it('sends and reads JSON and CSV, and answers null for a 204', async () => {
    const { table } = await glaze.importTable({
      params: { query: { name: 'Client' } },
      body: 'name,email\nAda,ada@example.com\n',
    });
    expect(table).toMatchObject({ name: 'Client', rowCount: 1 });
    const id = String(table.id);
    await glaze.insertRows({
      params: { path: { id } },
      body: { rows: [{ name: 'Bo', email: 'bo@example.com' }] },
    });
    const csv = await glaze.exportTable({ params: { path: { id }, query: {} } });
    expect(csv).toBe('name,email\nAda,ada@example.com\nBo,bo@example.com\n');
    const { tables } = await glaze.listTables();
    expect(tables.map((t) => t.name)).toContain('Client');
    expect(await glaze.deleteTable({ params: { path: { id } } })).toBeNull();
  });

  it('throws a GlazeError with the code, the field path and the status', async () => {
    const failed = await glaze.createTable({ body: { name: '' } }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(GlazeError);
    expect(failed).toMatchObject({ status: 400, code: 'validation_failed', path: 'name' });
    expect((failed as GlazeError).message).toBe(`name: ${(failed as GlazeError).detail}`);
    expect((failed as GlazeError).detail).not.toMatch(/^name/);
    const missing = await glaze
      .getTable({ params: { path: { id: '999999' } } })
      .catch((error: unknown) => error);
    expect(missing).toMatchObject({ status: 404, code: 'not_found', path: null });
    const anonymous = createGlazeClient({
      baseUrl: `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`,
    });
    await expect(anonymous.listTables()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
