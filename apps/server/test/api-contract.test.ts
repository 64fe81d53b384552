import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadsCsv, type TestServer, testServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

const json = (body: unknown) => ({
  headers: { 'content-type': 'application/json' },
  payload: JSON.stringify(body),
});

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await server.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: {
      ...server.auth,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.statusCode,
    body: response.body ? response.json() : undefined,
    headers: response.headers,
  };
}

describe('the REST contract', () => {
  it('creates, lists, renames and deletes tables', async () => {
    const created = await call('POST', '/tables', { name: 'Leads', columns: ['name', 'email'] });
    expect(created.status).toBe(201);
    expect(created.body.table).toMatchObject({ name: 'Leads', rowCount: 0 });
    expect(created.body.table.createdAt).toMatch(/Z$/);
    const id = created.body.table.id;

    const list = await call('GET', '/tables');
    expect(list.body.tables.map((t: { id: number }) => t.id)).toContain(id);

    const one = await call('GET', `/tables/${id}`);
    expect(
      one.body.columns.map((c: { name: string; kind: string; position: number }) => [
        c.name,
        c.kind,
        c.position,
      ]),
    ).toEqual([
      ['name', 'input', 1],
      ['email', 'input', 2],
    ]);
    expect(one.body.columns[0]).toEqual({
      id: expect.any(Number),
      tableId: id,
      name: 'name',
      kind: 'input',
      provider: null,
      config: {},
      position: 1,
    });

    const renamed = await call('PATCH', `/tables/${id}`, { name: 'Prospects' });
    expect(renamed.body.table.name).toBe('Prospects');

    expect((await call('DELETE', `/tables/${id}`)).status).toBe(204);
    expect((await call('GET', `/tables/${id}`)).status).toBe(404);
  });

  it('adds, pages, updates and deletes rows; pages are stable in (position, id) order', async () => {
    const { body } = await call('POST', '/tables', { name: 'Rows', columns: ['name'] });
    const id = body.table.id;
    const rows = Array.from({ length: 25 }, (_, i) => ({ name: `n${i}` }));
    const inserted = await call('POST', `/tables/${id}/rows`, { rows });
    expect(inserted.status).toBe(201);
    expect(inserted.body.ids).toHaveLength(25);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { rows: { values: Record<string, string> }[]; nextCursor: string | null } } =
        await call('GET', `/tables/${id}/rows?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.rows.map((r) => Object.values(r.values)[0] as string));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(rows.map((r) => r.name));

    const [first, second] = inserted.body.ids;
    const updated = await call('PATCH', `/tables/${id}/rows`, {
      rows: [{ id: first, values: { name: 'changed' } }],
    });
    expect(updated.body).toEqual({ updated: 1 });
    const deleted = await call('DELETE', `/tables/${id}/rows`, { ids: [second] });
    expect(deleted.body).toEqual({ deleted: 1 });
    const page = await call('GET', `/tables/${id}/rows?limit=2`);
    expect(page.body.rows[0]).toMatchObject({ id: first, cells: {} });
    expect(Object.values(page.body.rows[0].values)).toEqual(['changed']);
    expect(page.body.rows[1].id).not.toBe(second);
  });

  it('adds, renames, reconfigures, reorders and deletes columns', async () => {
    const { body } = await call('POST', '/tables', { name: 'Cols', columns: ['email'] });
    const id = body.table.id;
    const added = await call('POST', `/tables/${id}/columns`, {
      name: 'Check',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{email}}' },
    });
    expect(added.status).toBe(201);
    expect(added.body.column).toMatchObject({
      name: 'Check',
      kind: 'enrichment',
      provider: 'mock',
      position: 2,
    });
    expect(added.body.column.config).toMatchObject({ input: '{{email}}', latencyMs: 0 });
    const columnId = added.body.column.id;

    const changed = await call('PATCH', `/tables/${id}/columns/${columnId}`, {
      name: 'Mock',
      config: { latencyMs: 5 },
    });
    expect(changed.body.column).toMatchObject({ name: 'Mock', config: { latencyMs: 5 } });

    const { body: table } = await call('GET', `/tables/${id}`);
    const ids = table.columns.map((c: { id: number }) => c.id).reverse();
    const reordered = await call('PUT', `/tables/${id}/columns/order`, { columnIds: ids });
    expect(reordered.body.columns.map((c: { id: number }) => c.id)).toEqual(ids);

    expect((await call('DELETE', `/tables/${id}/columns/${columnId}`)).status).toBe(204);
    expect((await call('GET', `/tables/${id}`)).body.columns).toHaveLength(1);
  });

  it('imports and exports CSV', async () => {
    const imported = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tables/import?name=Imported',
      headers: { ...server.auth, 'content-type': 'text/csv' },
      payload: leadsCsv(3),
    });
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({ table: { name: 'Imported', rowCount: 3 }, rows: 3 });
    const id = imported.json().table.id;
    const appended = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tables/${id}/import`,
      headers: { ...server.auth, 'content-type': 'text/csv; charset=utf-8' },
      payload: 'email\nsolo@example.com\n',
    });
    expect(appended.json()).toEqual({ rows: 1 });
    const exported = await server.app.inject({
      method: 'GET',
      url: `/api/v1/tables/${id}/export`,
      headers: server.auth,
    });
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="Imported.csv"/);
    expect(exported.body.trim().split('\n')).toEqual([
      'name,email',
      'Lead 1,lead1@example.com',
      'Lead 2,lead2@example.com',
      'Lead 3,lead3@example.com',
      ',solo@example.com',
    ]);
    // ?key= upserts: a known email updates its row, a new one is appended, each counted
    const upserted = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tables/${id}/import?key=email`,
      headers: { ...server.auth, 'content-type': 'text/csv' },
      payload: 'email,name\nlead2@example.com,Lead Two\nlead3@example.com,Lead 3\nnew@example.com,New\n',
    });
    expect(upserted.statusCode).toBe(200);
    expect(upserted.json()).toEqual({ rows: 1, inserted: 1, updated: 1, unchanged: 1, stale: 0 });
    const badKey = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tables/${id}/import?key=phone`,
      headers: { ...server.auth, 'content-type': 'text/csv' },
      payload: 'email\nx@example.com\n',
    });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error).toMatchObject({ code: 'validation_failed', path: 'key' });
  });

  it('starts, lists, reads and cancels runs, and runs one cell', async () => {
    const { body } = await call('POST', '/tables', { name: 'Runs', columns: ['email'] });
    const id = body.table.id;
    const { body: rows } = await call('POST', `/tables/${id}/rows`, {
      rows: [{ email: 'a@b.co' }, { email: 'c@d.co' }],
    });
    const { body: col } = await call('POST', `/tables/${id}/columns`, {
      name: 'Slow',
      kind: 'enrichment',
      provider: 'mock',
      config: { latencyMs: 60_000 },
    });
    const started = await call('POST', `/tables/${id}/columns/${col.column.id}/runs`, { scope: 'all' });
    expect(started.status).toBe(201);
    expect(started.body.run).toMatchObject({
      status: 'running',
      total: 2,
      columnId: col.column.id,
      tableId: id,
    });
    const runId = started.body.run.id;
    expect((await call('GET', `/runs/${runId}`)).body.run.counts).toMatchObject({ queued: 2, done: 0 });
    expect(
      (await call('GET', `/tables/${id}/runs?status=running`)).body.runs.map((r: { id: number }) => r.id),
    ).toEqual([runId]);
    const cancelled = await call('POST', `/runs/${runId}/cancel`);
    expect(cancelled.body.run).toMatchObject({ status: 'cancelled', counts: { cancelled: 2 } });
    expect((await call('GET', `/tables/${id}/runs?status=running`)).body.runs).toEqual([]);

    const single = await call('POST', `/tables/${id}/cells/run`, {
      rowId: rows.ids[0],
      columnId: col.column.id,
    });
    expect(single.status).toBe(201);
    expect(single.body.run).toMatchObject({ total: 1, status: 'running' });
  });

  it('deleting rows a run waits on shrinks the run, and it finishes when nothing is left', async () => {
    const { body } = await call('POST', '/tables', { name: 'Shrink', columns: ['email'] });
    const id = body.table.id;
    const { body: rows } = await call('POST', `/tables/${id}/rows`, {
      rows: [{ email: 'a@b.co' }, { email: 'c@d.co' }],
    });
    const { body: col } = await call('POST', `/tables/${id}/columns`, {
      name: 'Slow',
      kind: 'enrichment',
      provider: 'mock',
    });
    const { body: started } = await call('POST', `/tables/${id}/columns/${col.column.id}/runs`, {
      scope: 'all',
    });
    await call('DELETE', `/tables/${id}/rows`, { ids: [rows.ids[0]] });
    expect((await call('GET', `/runs/${started.run.id}`)).body.run).toMatchObject({
      status: 'running',
      total: 1,
    });
    await call('DELETE', `/tables/${id}/rows`, { ids: [rows.ids[1]] });
    expect((await call('GET', `/runs/${started.run.id}`)).body.run).toMatchObject({
      status: 'done',
      total: 0,
    });
  });

  it('lists providers with the JSON Schema of their config', async () => {
    const { body } = await call('GET', '/providers');
    const mock = body.providers.find((p: { id: string }) => p.id === 'mock');
    expect(mock.description).toMatch(/mock|fake/i);
    // grouped by what they do, in the picker's order: mock last, under testing
    expect(body.providers.map((p: { group: string }) => p.group)).toEqual(
      [...body.providers.map((p: { group: string }) => p.group)].sort(
        (a: string, b: string) =>
          ['validate', 'api', 'ai', 'transform', 'testing'].indexOf(a) -
          ['validate', 'api', 'ai', 'transform', 'testing'].indexOf(b),
      ),
    );
    expect(body.providers.at(-1)).toMatchObject({ id: 'mock', group: 'testing' });
    expect(mock.configSchema).toMatchObject({
      type: 'object',
      properties: { latencyMs: { type: 'integer' } },
    });
  });

  it('signs in with a cookie that works instead of the header, and signs out', async () => {
    const token = server.auth.authorization.slice('Bearer '.length);
    const signIn = await server.app.inject({ method: 'POST', url: '/api/v1/session', ...json({ token }) });
    expect(signIn.statusCode).toBe(200);
    expect(signIn.json()).toEqual({ workspace: { id: server.workspaceId, name: 'first' } });
    const cookie = String(signIn.headers['set-cookie']);
    expect(cookie).toMatch(/^glaze_session=.+; Path=\/api; HttpOnly; SameSite=Strict/);
    const session = await server.app.inject({
      method: 'GET',
      url: '/api/v1/session',
      headers: { cookie: cookie.split(';')[0] as string },
    });
    expect(session.json()).toEqual({ workspace: { id: server.workspaceId, name: 'first' } });
    const signOut = await server.app.inject({ method: 'DELETE', url: '/api/v1/session' });
    expect(signOut.statusCode).toBe(204);
    expect(String(signOut.headers['set-cookie'])).toMatch(/^glaze_session=; .*Max-Age=0/);
    const bad = await server.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      ...json({ token: 'glz_nope' }),
    });
    expect(bad.statusCode).toBe(401);
  });

  it('serves an OpenAPI 3 document built from the route schemas, and health checks', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/tables', '/api/v1/tables/{id}/rows', '/api/v1/tables/{id}/events']),
    );
    expect(
      doc.paths['/api/v1/tables'].post.requestBody.content['application/json'].schema.properties.name.type,
    ).toBe('string');
    // The export's opt-out from formula neutralising is in the document, with its risk.
    const exportParameters = doc.paths['/api/v1/tables/{id}/export'].get.parameters;
    expect(exportParameters).toContainEqual(
      expect.objectContaining({
        in: 'query',
        name: 'raw',
        required: false,
        schema: expect.objectContaining({ enum: ['true', 'false'], default: 'false' }),
        description: expect.stringMatching(/live formula/),
      }),
    );
    // Every operation lists the 503 a database outage gives, with its Retry-After header (signing
    // out too: it revokes the session in the database).
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const unavailable = (operation as { responses: Record<string, { headers?: object }> }).responses[
          '503'
        ];
        expect({ path, method, headers: unavailable?.headers }).toMatchObject({
          path,
          method,
          headers: { 'Retry-After': { schema: { type: 'integer' } } },
        });
      }
    }
    expect((await server.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ ok: true });
    expect((await server.app.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ ok: true });
  });
});
