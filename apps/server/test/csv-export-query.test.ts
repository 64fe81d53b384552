import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from './helpers';

let server: TestServer;
let tableId: number;

beforeAll(async () => {
  server = await testServer();
  const created = await call('POST', '/tables', { name: 'Leads', columns: ['Email', 'City', 'Score'] });
  tableId = created.json.table.id;
  const rows = Array.from({ length: 30 }, (_, i) => ({
    Email: `u${i}@example.com`,
    City: i % 3 === 0 ? 'Zürich' : 'Lyon',
    Score: String(i),
  }));
  await call('POST', `/tables/${tableId}/rows`, { rows });
});
afterAll(() => server.close());

async function call(method: string, url: string, body?: unknown) {
  const response = await server.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { ...server.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.statusCode,
    body: response.body,
    json: response.body.startsWith('{') ? response.json() : undefined,
  };
}

const exportWith = (params: Record<string, string>) =>
  call('GET', `/tables/${tableId}/export?${new URLSearchParams(params)}`);

describe('GET /tables/:id/export with filter, sort and q', () => {
  it('exports only the rows the filter selects, in the sort order', async () => {
    const response = await exportWith({
      filter: JSON.stringify({ column: 'City', op: 'eq', value: 'Zürich' }),
      sort: 'Score:desc:number',
    });
    expect(response.status).toBe(200);
    const records = parse(response.body) as string[][];
    expect(records[0]).toEqual(['Email', 'City', 'Score']);
    expect(records.slice(1).map((r) => r[2])).toEqual([
      '27',
      '24',
      '21',
      '18',
      '15',
      '12',
      '9',
      '6',
      '3',
      '0',
    ]);
  });

  it('searches with q, and exports every row without a query', async () => {
    const found = parse((await exportWith({ q: 'u1' })).body) as string[][];
    expect(found.slice(1).map((r) => r[0])).toEqual([
      'u1@example.com',
      ...Array.from({ length: 10 }, (_, i) => `u1${i}@example.com`),
    ]);
    expect(parse((await exportWith({})).body)).toHaveLength(31);
  });

  it('answers 400 naming the field of a bad filter or sort, before any CSV', async () => {
    const column = await exportWith({ filter: JSON.stringify({ column: 'Cty', op: 'eq', value: 'x' }) });
    expect(column.status).toBe(400);
    expect(column.body).toContain('filter.column');
    expect(column.body).toContain('Cty');
    const json = await exportWith({ filter: '{not json' });
    expect(json.status).toBe(400);
    expect(json.body).toContain('filter');
    const sort = await exportWith({ sort: 'Nope:desc' });
    expect(sort.status).toBe(400);
    expect(sort.body).toContain('sort');
  });
});
