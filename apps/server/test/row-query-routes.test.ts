import { indexBuildsSettled } from '@glaze/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from './helpers';

let server: TestServer;
let tableId: number;
let checkId: number;
let otherAuth: { authorization: string };

const get = (url: string, auth = server.auth) =>
  server.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth });
const post = (url: string, json: unknown) =>
  server.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: server.auth, payload: json as object });
const rowsUrl = (params: Record<string, string>) => `/tables/${tableId}/rows?${new URLSearchParams(params)}`;

beforeAll(async () => {
  server = await testServer();
  otherAuth = (await server.newWorkspace('other')).auth;
  tableId = (await post('/tables', { name: 'Leads', columns: ['Email', 'City', 'Score'] })).json().table.id;
  const cities = ['Zürich', 'paris', 'Montréal', 'ZURICH', 'Lyon'];
  const rows = Array.from({ length: 50 }, (_, i) => ({
    Email: `user${i}@example.com`,
    City: cities[i % cities.length],
    Score: String((i * 7) % 30),
  }));
  expect((await post(`/tables/${tableId}/rows`, { rows })).statusCode).toBe(201);
  checkId = (
    await post(`/tables/${tableId}/columns`, { name: 'Email check', kind: 'enrichment', provider: 'mock' })
  ).json().column.id;
});
afterAll(async () => {
  await indexBuildsSettled();
  await server.close();
});

describe('GET /tables/:id/rows with a query', () => {
  it('filters, searches, sorts and counts', async () => {
    const res = await get(
      rowsUrl({
        filter: JSON.stringify({ column: 'City', op: 'contains', value: 'zur' }),
        sort: 'Score:desc:number',
        count: 'true',
        limit: '5',
      }),
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.matched).toEqual({ count: 20, exact: true });
    const scores = body.rows.map((r: { values: Record<string, string> }) =>
      Number(Object.values(r.values)[2]),
    );
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(body.rows).toHaveLength(5);
    const searched = (await get(rowsUrl({ q: 'MONTREAL', count: 'true' }))).json();
    expect(searched.matched.count).toBe(10);
  });

  it('jumps to an offset in (position, id) order', async () => {
    const whole = (await get(`/tables/${tableId}/rows?limit=1000`))
      .json()
      .rows.map((r: { id: number }) => r.id);
    const page = (await get(rowsUrl({ offset: '37', limit: '5' }))).json();
    expect(page.rows.map((r: { id: number }) => r.id)).toEqual(whole.slice(37, 42));
  });

  const bad: Array<[string, Record<string, string>, string, RegExp]> = [
    [
      'an unknown column, named by its place in the filter',
      {
        filter: JSON.stringify({
          and: [
            { column: 'City', op: 'empty' },
            { column: 'Emial', op: 'eq', value: 'x' },
          ],
        }),
      },
      'filter.and[1].column',
      /no column "Emial" in this table/,
    ],
    [
      'a number comparison with text',
      { filter: JSON.stringify({ column: 'Score', op: 'gt', value: 'ten' }) },
      'filter.value',
      /Value must be a number/,
    ],
    [
      'an unknown operator',
      { filter: JSON.stringify({ column: 'Score', op: 'like', value: 'x' }) },
      'filter.op',
      /discriminator|expected/i,
    ],
    [
      'a status on an input column',
      { filter: JSON.stringify({ column: 'City', op: 'status', value: ['error'] }) },
      'filter.column',
      /enrichment/,
    ],
    [
      'an unknown status',
      { filter: JSON.stringify({ column: 'Email check', op: 'status', value: ['broken'] }) },
      'filter.value[0]',
      /Value 1 must be one of: "idle"/,
    ],
    ['filter that is not JSON', { filter: '{column:' }, 'filter', /not JSON/],
    ['a path on an input column', { sort: 'City.name' }, 'sort.column', /no column "City.name"/],
    ['an unknown sort column', { sort: 'Nope:desc' }, 'sort.column', /no column "Nope"/],
    ['a cursor with an offset', { offset: '10', cursor: 'abc' }, 'cursor', /offset/],
    ['a negative offset', { offset: '-1' }, 'offset', /integer/],
  ];
  for (const [name, params, path, message] of bad) {
    it(`400 for ${name}, naming ${path}`, async () => {
      const res = await get(rowsUrl(params));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.path).toBe(path);
      expect(res.json().error.message).toMatch(message);
    });
  }

  it("another workspace's table is a 404, filter or not", async () => {
    const res = await get(rowsUrl({ filter: JSON.stringify({ column: 'City', op: 'empty' }) }), otherAuth);
    expect(res.statusCode).toBe(404);
  });
});

describe('GET /tables/:id/rows/count', () => {
  const countUrl = (params: Record<string, string>) =>
    `/tables/${tableId}/rows/count?${new URLSearchParams(params)}`;

  it('counts what the same filter or search pages through, on its own', async () => {
    const filter = JSON.stringify({ column: 'City', op: 'contains', value: 'zur' });
    const res = await get(countUrl({ filter }));
    expect(res.statusCode).toBe(200);
    expect(res.json().matched).toEqual({ count: 20, exact: true });
    expect(Array.isArray(res.json().indexing)).toBe(true);
    const paged = (await get(rowsUrl({ filter, count: 'true', limit: '1000' }))).json();
    expect(paged.rows).toHaveLength(20);
    expect(paged.matched).toEqual({ count: 20, exact: true });
    expect((await get(countUrl({ q: 'MONTREAL' }))).json().matched).toEqual({ count: 10, exact: true });
    // no filter, no search: every row
    expect((await get(countUrl({}))).json().matched).toEqual({ count: 50, exact: true });
  });

  it('names the bad field of a filter', async () => {
    const bad = await get(countUrl({ filter: JSON.stringify({ column: 'Emial', op: 'empty' }) }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.path).toBe('filter.column');
    expect(bad.json().error.message).toMatch(/Emial/);
    const notJson = await get(countUrl({ filter: '{column:' }));
    expect(notJson.json().error.path).toBe('filter');
  });

  it("another workspace's table is a 404", async () => {
    expect((await get(countUrl({}), otherAuth)).statusCode).toBe(404);
  });
});

describe('POST …/runs with scope {filter}', () => {
  it('runs the rows the filter selects now', async () => {
    const res = await post(`/tables/${tableId}/columns/${checkId}/runs`, {
      scope: { filter: { column: 'City', op: 'eq', value: 'paris' } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().run.total).toBe(10);
  });

  it('names the field of a bad filter, and refuses one that matches nothing', async () => {
    const bad = await post(`/tables/${tableId}/columns/${checkId}/runs`, {
      scope: { filter: { or: [{ column: 'Town', op: 'empty' }] } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.path).toBe('scope.filter.or[0].column');
    const none = await post(`/tables/${tableId}/columns/${checkId}/runs`, {
      scope: { filter: { column: 'City', op: 'eq', value: 'Tokyo' } },
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().error).toMatchObject({ path: 'scope.filter', message: 'matches no rows' });
  });
});
