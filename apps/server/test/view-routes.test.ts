import { indexBuildsSettled } from '@glaze/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from './helpers';

/**
 * Saved views over HTTP: save, list, change and delete a view of a table; every bad part named by
 * its field; a run over "the rows of this view" runs exactly the rows the test computes itself.
 */
let server: TestServer;
let tableId: number;
let otherTableId: number;
let col: { email: number; city: number; score: number; check: number };
let other: { authorization: string };

const call = (method: string, url: string, body?: unknown, auth = server.auth) =>
  server.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: auth,
    ...(body === undefined ? {} : { payload: body as object }),
  });

// Messy on purpose: accents, case, blanks, a score that is not a number.
const cities = ['Zürich', 'zurich ', 'São Paulo', '', 'ZÜRICH', 'Köln', 'Lyon'];
const rows = Array.from({ length: 140 }, (_, i) => ({
  Email: i % 9 === 0 ? '' : `Person.${i}@Example.com`,
  City: cities[i % cities.length] as string,
  Score: i % 11 === 0 ? 'n/a' : String((i * 37) % 100),
}));
/** The reference: City contains "zur" ignoring case and accents, Email not empty, search "example". */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
const expectedIndexes = rows.flatMap((r, i) =>
  fold(r.City).includes('zur') && r.Email !== '' && fold(Object.values(r).join(' ')).includes('example')
    ? [i]
    : [],
);

beforeAll(async () => {
  server = await testServer();
  other = (await server.newWorkspace('other')).auth;
  tableId = (await call('POST', '/tables', { name: 'Leads', columns: ['Email', 'City', 'Score'] })).json()
    .table.id;
  otherTableId = (await call('POST', '/tables', { name: 'Other', columns: ['Email'] })).json().table.id;
  expect((await call('POST', `/tables/${tableId}/rows`, { rows })).statusCode).toBe(201);
  await call('POST', `/tables/${otherTableId}/rows`, { rows: [{ Email: 'a@b.co' }] });
  const check = (
    await call('POST', `/tables/${tableId}/columns`, {
      name: 'Check',
      kind: 'enrichment',
      provider: 'mock',
      config: { latencyMs: 60_000 },
    })
  ).json().column.id;
  const { columns } = (await call('GET', `/tables/${tableId}`)).json();
  const id = (name: string) => columns.find((c: { name: string }) => c.name === name).id as number;
  col = { email: id('Email'), city: id('City'), score: id('Score'), check };
});
afterAll(async () => {
  await indexBuildsSettled();
  await server.close();
});

const zurich = () => ({
  filter: {
    and: [
      { column: col.city, op: 'contains', value: 'ZUR' } as Record<string, unknown>,
      { column: 'Email', op: 'notEmpty' } as Record<string, unknown>,
    ],
  },
  sort: { column: col.score, direction: 'desc', as: 'number' },
  q: 'example',
});

describe('saved views', () => {
  let viewId = 0;

  it('saves a view with a filter, sort, search and hidden columns, and lists it', async () => {
    const made = await call('POST', `/tables/${tableId}/views`, {
      name: '  Zürich leads ',
      query: zurich(),
      hiddenColumnIds: [col.email, col.email, col.score],
    });
    expect(made.statusCode).toBe(201);
    const { view } = made.json();
    viewId = view.id;
    // Stored by id (the name "Email" became its id), so a rename keeps the view.
    const byId = zurich();
    byId.filter.and[1] = { column: col.email, op: 'notEmpty' };
    expect(view).toEqual({
      id: view.id,
      tableId,
      name: 'Zürich leads',
      query: byId,
      hiddenColumnIds: [col.email, col.score],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const listed = (await call('GET', `/tables/${tableId}/views`)).json().views;
    expect(listed).toEqual([view]);
    expect((await call('GET', `/tables/${otherTableId}/views`)).json().views).toEqual([]);
    // The view's query read back is one the rows API takes as it is.
    const page = await call(
      'GET',
      `/tables/${tableId}/rows?${new URLSearchParams({
        filter: JSON.stringify(view.query.filter),
        sort: JSON.stringify(view.query.sort),
        q: view.query.q,
        count: 'true',
        limit: '1000',
      })}`,
    );
    expect(page.json().matched.count).toBe(expectedIndexes.length);
  });

  it('names the field of every bad part, and refuses a second view of the same name', async () => {
    const bad = async (body: unknown) => (await call('POST', `/tables/${tableId}/views`, body)).json().error;
    expect(
      await bad({
        name: 'x',
        query: {
          filter: {
            and: [
              { column: 'City', op: 'empty' },
              { column: 'Emial', op: 'empty' },
            ],
          },
        },
      }),
    ).toMatchObject({ path: 'query.filter.and[1].column', message: 'no column "Emial" in this table' });
    expect(await bad({ name: 'x', query: { sort: { column: 999_999 } } })).toMatchObject({
      path: 'query.sort.column',
    });
    expect(
      await bad({ name: 'x', query: { filter: { column: 'City', op: 'lt', value: 'ten' } } }),
    ).toMatchObject({ path: 'query.filter.value' });
    expect(await bad({ name: 'x', hiddenColumnIds: [col.city, 999_999] })).toMatchObject({
      path: 'hiddenColumnIds[1]',
      message: 'no column with id 999999 in this table',
    });
    expect(await bad({ name: 'x', query: { limit: 5 } })).toMatchObject({ code: 'validation_failed' });
    expect(await bad({ name: '   ' })).toMatchObject({ path: 'name' });
    const twice = await call('POST', `/tables/${tableId}/views`, { name: 'Zürich leads' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toMatchObject({ code: 'conflict', path: 'name' });
    // The same name in another table is fine.
    expect((await call('POST', `/tables/${otherTableId}/views`, { name: 'Zürich leads' })).statusCode).toBe(
      201,
    );
  });

  it('renames, changes the query and the hidden columns; what is not given stays', async () => {
    const renamed = (await call('PATCH', `/tables/${tableId}/views/${viewId}`, { name: 'Zurich' })).json()
      .view;
    expect(renamed).toMatchObject({ name: 'Zurich', hiddenColumnIds: [col.email, col.score] });
    expect(renamed.query.filter.and[1]).toEqual({ column: col.email, op: 'notEmpty' });
    const changed = await call('PATCH', `/tables/${tableId}/views/${viewId}`, {
      hiddenColumnIds: [col.city],
      query: { ...zurich(), q: '' },
    });
    expect(changed.json().view).toMatchObject({ name: 'Zurich', hiddenColumnIds: [col.city] });
    const badPatch = await call('PATCH', `/tables/${tableId}/views/${viewId}`, {
      query: { filter: { column: 'Nope', op: 'empty' } },
    });
    expect(badPatch.json().error.path).toBe('query.filter.column');
    expect((await call('PATCH', `/tables/${tableId}/views/${viewId}`, {})).statusCode).toBe(400);
    // A view is addressed through its own table: another table's URL does not find it.
    expect((await call('PATCH', `/tables/${otherTableId}/views/${viewId}`, { name: 'y' })).statusCode).toBe(
      404,
    );
    await call('PATCH', `/tables/${tableId}/views/${viewId}`, { query: zurich() });
  });

  it('leaves a deleted column out of the hidden ones', async () => {
    const extra = (await call('POST', `/tables/${tableId}/columns`, { name: 'Tmp', kind: 'input' })).json()
      .column.id;
    const { view } = (
      await call('POST', `/tables/${tableId}/views`, {
        name: 'Tmp hidden',
        hiddenColumnIds: [extra, col.city],
      })
    ).json();
    expect(view.hiddenColumnIds).toEqual([extra, col.city]);
    expect((await call('DELETE', `/tables/${tableId}/columns/${extra}`)).statusCode).toBe(204);
    const listed = (await call('GET', `/tables/${tableId}/views`)).json().views;
    expect(listed.find((v: { id: number }) => v.id === view.id).hiddenColumnIds).toEqual([col.city]);
    expect((await call('DELETE', `/tables/${tableId}/views/${view.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/tables/${tableId}/views/${view.id}`)).statusCode).toBe(404);
  });

  it('keeps working when a column it names is renamed: names were stored as ids', async () => {
    const { view } = (
      await call('POST', `/tables/${tableId}/views`, {
        name: 'By name',
        query: { filter: { column: 'City', op: 'eq', value: 'Lyon' }, sort: { column: 'Check.score' } },
      })
    ).json();
    expect(view.query).toEqual({
      filter: { column: col.city, op: 'eq', value: 'Lyon' },
      sort: { column: col.check, path: ['score'], direction: 'asc' },
    });
    expect((await call('PATCH', `/tables/${tableId}/columns/${col.city}`, { name: 'Town' })).statusCode).toBe(
      200,
    );
    const run = await call('POST', `/tables/${tableId}/columns/${col.check}/runs`, {
      scope: { view: view.id },
    });
    expect(run.json().run.total).toBe(rows.filter((r) => r.City === 'Lyon').length);
    await call('POST', `/runs/${run.json().run.id}/cancel`);
    await call('PATCH', `/tables/${tableId}/columns/${col.city}`, { name: 'City' });
    await call('DELETE', `/tables/${tableId}/views/${view.id}`);
  });

  it('runs a column over the rows of the view: exactly the rows the reference selects', async () => {
    expect(expectedIndexes.length).toBeGreaterThan(10);
    expect(expectedIndexes.length).toBeLessThan(rows.length / 2);
    const res = await call('POST', `/tables/${tableId}/columns/${col.check}/runs`, {
      scope: { view: viewId },
    });
    expect(res.statusCode).toBe(201);
    const run = res.json().run;
    expect(run.total).toBe(expectedIndexes.length);
    const { rows: queued } = await server.db.pool.query(
      `select r.data from cells c join rows r on r.id = c.row_id where c.run_id = $1 order by r.position`,
      [run.id],
    );
    const emails = queued.map((q) => q.data[col.email]);
    expect(emails).toEqual(expectedIndexes.map((i) => rows[i]?.Email));
  });

  it('refuses a view of another table (400), of another workspace or none (404), naming scope.view', async () => {
    const foreignView = (
      await call('POST', `/tables/${otherTableId}/views`, { name: 'Theirs', query: {} })
    ).json().view.id;
    const wrongTable = await call('POST', `/tables/${tableId}/columns/${col.check}/runs`, {
      scope: { view: foreignView },
    });
    expect(wrongTable.statusCode).toBe(400);
    expect(wrongTable.json().error).toMatchObject({ path: 'scope.view' });
    const missing = await call('POST', `/tables/${tableId}/columns/${col.check}/runs`, {
      scope: { view: 987_654 },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ path: 'scope.view', message: 'view 987654 does not exist' });
    // Another workspace, with a table and a column of its own, naming this workspace's view.
    const theirs = (await call('POST', '/tables', { name: 'T', columns: ['Email'] }, other)).json().table.id;
    const theirColumn = (
      await call(
        'POST',
        `/tables/${theirs}/columns`,
        { name: 'C', kind: 'enrichment', provider: 'mock' },
        other,
      )
    ).json().column.id;
    const stolen = await call(
      'POST',
      `/tables/${theirs}/columns/${theirColumn}/runs`,
      { scope: { view: viewId } },
      other,
    );
    expect(stolen.statusCode).toBe(404);
    expect(stolen.body).not.toContain('Zurich');
    const empty = (
      await call('POST', `/tables/${tableId}/views`, {
        name: 'Nobody',
        query: { filter: { column: 'City', op: 'eq', value: 'Tokyo' } },
      })
    ).json().view.id;
    const none = await call('POST', `/tables/${tableId}/columns/${col.check}/runs`, {
      scope: { view: empty },
    });
    expect(none.json().error).toMatchObject({ path: 'scope.view', message: 'matches no rows' });
  });

  it('goes with its table', async () => {
    const { rows: before } = await server.db.pool.query(
      'select count(*)::int as n from views where table_id = $1',
      [otherTableId],
    );
    expect(before[0].n).toBe(2);
    expect((await call('DELETE', `/tables/${otherTableId}`)).statusCode).toBe(204);
    const { rows: after } = await server.db.pool.query(
      'select count(*)::int as n from views where table_id = $1',
      [otherTableId],
    );
    expect(after[0].n).toBe(0);
  });
});
