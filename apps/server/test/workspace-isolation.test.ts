import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from './helpers';

/**
 * Every route, called with another workspace's token against this workspace's ids, answers like the
 * ids do not exist — and afterwards the database holds exactly what it held before.
 */
let server: TestServer;
let foreign: { authorization: string };
let foreignTableId: number;
const ids = {
  table: 0,
  column: 0,
  input: 0,
  row: 0,
  run: 0,
  view: 0,
  trashedRow: 0,
  trashedColumn: 0,
  cell: 0,
};

beforeAll(async () => {
  server = await testServer();
  const call = async (method: string, url: string, body?: unknown) =>
    (
      await server.app.inject({
        method: method as 'GET',
        url: `/api/v1${url}`,
        headers: { ...server.auth, 'content-type': 'application/json' },
        payload: JSON.stringify(body ?? {}),
      })
    ).json();
  const { table } = await call('POST', '/tables', { name: 'Secret', columns: ['email'] });
  ids.table = table.id;
  const { ids: rowIds } = await call('POST', `/tables/${table.id}/rows`, {
    rows: [{ email: 'a@b.co' }, { email: 'c@d.co' }],
  });
  ids.row = rowIds[0];
  // A row and a column in the trash: the restore routes must not bring them back for another workspace.
  ids.trashedRow = rowIds[1];
  await call('DELETE', `/tables/${table.id}/rows`, { ids: [ids.trashedRow] });
  ids.trashedColumn = (
    await call('POST', `/tables/${table.id}/columns`, { name: 'Gone', kind: 'input' })
  ).column.id;
  await server.app.inject({
    method: 'DELETE',
    url: `/api/v1/tables/${table.id}/columns/${ids.trashedColumn}`,
    headers: server.auth,
  });
  const { column } = await call('POST', `/tables/${table.id}/columns`, {
    name: 'Slow',
    kind: 'enrichment',
    provider: 'mock',
    config: { latencyMs: 60_000 },
  });
  ids.column = column.id;
  ids.input = (await call('GET', `/tables/${table.id}`)).columns[0].id;
  ids.run = (await call('POST', `/tables/${table.id}/columns/${column.id}/runs`, { scope: 'all' })).run.id;
  ids.cell = (await call('GET', `/tables/${table.id}/rows`)).rows[0].cells[String(column.id)].id;
  ids.view = (
    await call('POST', `/tables/${table.id}/views`, {
      name: 'Errors',
      query: { filter: { column: 'Slow', op: 'status', value: ['error'] } },
      hiddenColumnIds: [ids.input],
    })
  ).view.id;

  const other = await server.newWorkspace('other');
  foreign = other.auth;
  const created = await server.app.inject({
    method: 'POST',
    url: '/api/v1/tables',
    headers: { ...foreign, 'content-type': 'application/json' },
    payload: JSON.stringify({ name: 'Mine', columns: ['email'] }),
  });
  foreignTableId = created.json().table.id;
});
afterAll(() => server.close());

/** Everything the first workspace owns, as rows: compared before and after the foreign calls. */
async function snapshot() {
  const q = async (sql: string) => (await server.db.pool.query(sql, [server.workspaceId])).rows;
  return {
    tables: await q('select id, name, updated_at from tables where workspace_id = $1 order by id'),
    columns: await q(
      'select c.* from columns c join tables t on t.id = c.table_id where t.workspace_id = $1 order by c.id',
    ),
    rows: await q(
      'select r.* from rows r join tables t on t.id = r.table_id where t.workspace_id = $1 order by r.id',
    ),
    cells: await q(
      'select c.* from cells c join tables t on t.id = c.table_id where t.workspace_id = $1 order by c.id',
    ),
    runs: await q(
      'select r.* from runs r join tables t on t.id = r.table_id where t.workspace_id = $1 order by r.id',
    ),
    views: await q(
      'select v.* from views v join tables t on t.id = v.table_id where t.workspace_id = $1 order by v.id',
    ),
    changes: await q(
      'select c.* from table_changes c join tables t on t.id = c.table_id where t.workspace_id = $1 order by c.seq',
    ),
    trash: await q(
      `select (select count(*) from row_trash r join tables t on t.id = r.table_id where t.workspace_id = $1) as rows,
              (select count(*) from column_trash c join tables t on t.id = c.table_id where t.workspace_id = $1) as columns`,
    ),
  };
}

type Route = [method: string, path: string, url: () => string, body?: () => unknown, type?: string];
const json = 'application/json';

/** [method, OpenAPI path, URL with the first workspace's ids, body]. */
const routes: Route[] = [
  ['GET', '/api/v1/tables/{id}', () => `/tables/${ids.table}`],
  ['PATCH', '/api/v1/tables/{id}', () => `/tables/${ids.table}`, () => ({ name: 'Stolen' })],
  ['DELETE', '/api/v1/tables/{id}', () => `/tables/${ids.table}`],
  ['GET', '/api/v1/tables/{id}/rows', () => `/tables/${ids.table}/rows`],
  ['GET', '/api/v1/tables/{id}/rows/count', () => `/tables/${ids.table}/rows/count`],
  [
    'POST',
    '/api/v1/tables/{id}/rows',
    () => `/tables/${ids.table}/rows`,
    () => ({ rows: [{ email: 'x@y.co' }] }),
  ],
  [
    'PATCH',
    '/api/v1/tables/{id}/rows',
    () => `/tables/${ids.table}/rows`,
    () => ({ rows: [{ id: ids.row, values: { email: 'x' } }] }),
  ],
  ['DELETE', '/api/v1/tables/{id}/rows', () => `/tables/${ids.table}/rows`, () => ({ ids: [ids.row] })],
  [
    'POST',
    '/api/v1/tables/{id}/rows/restore',
    () => `/tables/${ids.table}/rows/restore`,
    () => ({ ids: [ids.trashedRow] }),
  ],
  [
    'POST',
    '/api/v1/tables/{id}/columns',
    () => `/tables/${ids.table}/columns`,
    () => ({ name: 'X', kind: 'input' }),
  ],
  [
    'POST',
    '/api/v1/tables/{id}/columns/preview',
    () => `/tables/${ids.table}/columns/preview`,
    () => ({ provider: 'mock', config: { input: '{{email}}' } }),
  ],
  [
    'PATCH',
    '/api/v1/tables/{id}/columns/{columnId}',
    () => `/tables/${ids.table}/columns/${ids.column}`,
    () => ({ name: 'X' }),
  ],
  ['DELETE', '/api/v1/tables/{id}/columns/{columnId}', () => `/tables/${ids.table}/columns/${ids.column}`],
  [
    'POST',
    '/api/v1/tables/{id}/columns/{columnId}/restore',
    () => `/tables/${ids.table}/columns/${ids.trashedColumn}/restore`,
  ],
  [
    'PUT',
    '/api/v1/tables/{id}/columns/order',
    () => `/tables/${ids.table}/columns/order`,
    () => ({ columnIds: [ids.column, ids.input] }),
  ],
  [
    'POST',
    '/api/v1/tables/{id}/columns/{columnId}/runs',
    () => `/tables/${ids.table}/columns/${ids.column}/runs`,
    () => ({ scope: 'all' }),
  ],
  [
    'POST',
    '/api/v1/tables/{id}/cells/run',
    () => `/tables/${ids.table}/cells/run`,
    () => ({ rowId: ids.row, columnId: ids.column }),
  ],
  ['GET', '/api/v1/tables/{id}/cells/{cellId}', () => `/tables/${ids.table}/cells/${ids.cell}`],
  ['GET', '/api/v1/tables/{id}/runs', () => `/tables/${ids.table}/runs`],
  ['GET', '/api/v1/tables/{id}/views', () => `/tables/${ids.table}/views`],
  ['POST', '/api/v1/tables/{id}/views', () => `/tables/${ids.table}/views`, () => ({ name: 'Stolen' })],
  [
    'PATCH',
    '/api/v1/tables/{id}/views/{viewId}',
    () => `/tables/${ids.table}/views/${ids.view}`,
    () => ({ name: 'Stolen' }),
  ],
  ['DELETE', '/api/v1/tables/{id}/views/{viewId}', () => `/tables/${ids.table}/views/${ids.view}`],
  ['POST', '/api/v1/tables/{id}/runs', () => `/tables/${ids.table}/runs`, () => ({ scope: 'all' })],
  ['GET', '/api/v1/runs/{runId}', () => `/runs/${ids.run}`],
  ['GET', '/api/v1/runs/{runId}/timeline', () => `/runs/${ids.run}/timeline`],
  ['POST', '/api/v1/runs/{runId}/cancel', () => `/runs/${ids.run}/cancel`],
  ['GET', '/api/v1/tables/{id}/events', () => `/tables/${ids.table}/events`],
  [
    'POST',
    '/api/v1/tables/{id}/import',
    () => `/tables/${ids.table}/import`,
    () => 'email\nx@y.co\n',
    'text/csv',
  ],
  ['GET', '/api/v1/tables/{id}/export', () => `/tables/${ids.table}/export`],
  // The caller's own table, with the first workspace's column and row ids inside it.
  [
    'POST',
    'own table, foreign column: run',
    () => `/tables/${foreignTableId}/columns/${ids.column}/runs`,
    () => ({ scope: 'all' }),
  ],
  [
    'PATCH',
    'own table, foreign column: update',
    () => `/tables/${foreignTableId}/columns/${ids.column}`,
    () => ({ name: 'X' }),
  ],
  ['DELETE', 'own table, foreign column: delete', () => `/tables/${foreignTableId}/columns/${ids.column}`],
  [
    'POST',
    'own table, foreign column: restore',
    () => `/tables/${foreignTableId}/columns/${ids.trashedColumn}/restore`,
  ],
  [
    'POST',
    'own table, foreign view: run its rows',
    () => `/tables/${foreignTableId}/columns/${ids.column}/runs`,
    () => ({ scope: { view: ids.view } }),
  ],
  [
    'PATCH',
    'own table, foreign view: update',
    () => `/tables/${foreignTableId}/views/${ids.view}`,
    () => ({ name: 'Stolen' }),
  ],
  ['DELETE', 'own table, foreign view: delete', () => `/tables/${foreignTableId}/views/${ids.view}`],
  [
    'POST',
    'own table, foreign row: run this row',
    () => `/tables/${foreignTableId}/runs`,
    () => ({ scope: { rowIds: [ids.row] } }),
  ],
  [
    'POST',
    'own table, foreign cell',
    () => `/tables/${foreignTableId}/cells/run`,
    () => ({ rowId: ids.row, columnId: ids.column }),
  ],
];

/**
 * Routes that take no ids of a workspace: they answer, but only with the caller's own things. Secrets
 * and provider limits are named, not numbered, within the caller's workspace (secrets-routes.test.ts
 * and limits-and-timeline.test.ts check the isolation).
 */
const workspaceFree = [
  '/api/v1/tables',
  '/api/v1/tables/import',
  '/api/v1/providers',
  '/api/v1/providers/limits',
  '/api/v1/providers/{name}/limits',
  '/api/v1/session',
  '/api/v1/secrets',
  '/api/v1/secrets/{name}',
];

describe('a token of another workspace', () => {
  it('covers every route of the API', async () => {
    const doc = (await server.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.length).toBeGreaterThan(20);
    const covered = new Set(routes.map(([method, path]) => `${method} ${path}`));
    const missing = documented.filter(
      (route) => !covered.has(route) && !workspaceFree.includes(route.split(' ')[1] ?? ''),
    );
    expect(missing).toEqual([]);
  });

  it('gets 404 from every route that names an id of this workspace, and changes nothing', async () => {
    const before = await snapshot();
    for (const [method, path, url, body, type = json] of routes) {
      const payload = body?.();
      const response = await server.app.inject({
        method: method as 'GET',
        url: `/api/v1${url()}`,
        headers: { ...foreign, ...(payload === undefined ? {} : { 'content-type': type }) },
        payload:
          payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      expect({ route: `${method} ${path}`, status: response.statusCode }).toEqual({
        route: `${method} ${path}`,
        status: 404,
      });
      expect(response.json().error.code).toBe('not_found');
      expect(response.body).not.toContain('Secret');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('sees only its own tables and session; ids of this workspace in its own table change nothing', async () => {
    const before = await snapshot();
    const get = (url: string) => server.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: foreign });
    const send = (method: string, url: string, body: unknown) =>
      server.app.inject({
        method: method as 'GET',
        url: `/api/v1${url}`,
        headers: { ...foreign, 'content-type': json },
        payload: JSON.stringify(body),
      });
    expect((await get('/tables')).json().tables.map((t: { name: string }) => t.name)).toEqual(['Mine']);
    expect((await get('/session')).json().workspace.name).toBe('other');
    expect((await send('DELETE', `/tables/${foreignTableId}/rows`, { ids: [ids.row] })).json()).toEqual({
      deleted: 0,
    });
    expect(
      (
        await send('PATCH', `/tables/${foreignTableId}/rows`, {
          rows: [{ id: ids.row, values: { email: 'x' } }],
        })
      ).json(),
    ).toEqual({
      updated: 0,
    });
    expect(
      (await send('POST', `/tables/${foreignTableId}/rows/restore`, { ids: [ids.trashedRow] })).json(),
    ).toEqual({ restored: 0 });
    const reorder = await send('PUT', `/tables/${foreignTableId}/columns/order`, {
      columnIds: [ids.column, ids.input],
    });
    expect(reorder.statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);
  });
});
