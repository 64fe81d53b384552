import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyedPost, type TestServer, testServer } from './helpers';

/**
 * A start of runs retried with the same `Idempotency-Key` (after a 503, a timeout or a dropped
 * connection) answers with the runs the first request started and starts nothing: a paid provider
 * is not called twice for one click. No worker: the runs stay queued, which is all these need.
 */
let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

const call = (url: string, payload: object, key?: string, auth = server.auth) =>
  keyedPost(server, url, payload, key, auth);

async function tableWithColumns(name: string, columns: string[], rows = 5) {
  const created = await call('/tables', { name, columns: ['Company'] });
  const tableId = created.body.table.id as number;
  await call(`/tables/${tableId}/rows`, {
    rows: Array.from({ length: rows }, (_, i) => ({ Company: `co${i}.example` })),
  });
  const ids: number[] = [];
  for (const column of columns) ids.push(await addColumn(tableId, column));
  return { tableId, columnIds: ids };
}

async function addColumn(tableId: number, name: string) {
  const added = await call(`/tables/${tableId}/columns`, {
    name,
    kind: 'enrichment',
    provider: 'mock',
    config: { input: '{{Company}}' },
  });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return added.body.column.id as number;
}

async function runsOf(columnId: number): Promise<number[]> {
  const { rows } = await server.db.pool.query('select id::int from runs where column_id = $1 order by id', [
    columnId,
  ]);
  return rows.map((row) => row.id as number);
}

describe('Idempotency-Key on the routes that start runs', () => {
  it('a column run retried with its key is the same run, marked replayed; without a key, a new one', async () => {
    const { tableId, columnIds } = await tableWithColumns('Keyed', ['Domain']);
    const url = `/tables/${tableId}/columns/${columnIds[0]}/runs`;
    const first = await call(url, { scope: 'all' }, 'c0ffee-1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.replayed).toBeUndefined();
    expect(first.body.run.total).toBe(5);

    // the same key as a structured-field string is the same key
    for (const key of ['c0ffee-1', '"c0ffee-1"']) {
      const again = await call(url, { scope: 'all' }, key);
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      expect(again.replayed).toBe('true');
      expect(again.body.run.id).toBe(first.body.run.id);
    }
    expect(await runsOf(columnIds[0]!)).toEqual([first.body.run.id]);

    const unkeyed = await call(url, { scope: 'all' });
    expect(unkeyed.body.run.id).not.toBe(first.body.run.id);
    expect(await runsOf(columnIds[0]!)).toHaveLength(2);
  });

  it('the same key with another request is refused with 422 naming the header, and starts nothing', async () => {
    const { tableId, columnIds } = await tableWithColumns('Reused', ['Domain', 'Other']);
    const [domain, other] = columnIds as [number, number];
    const first = await call(`/tables/${tableId}/columns/${domain}/runs`, { scope: 'all' }, 'k-reused');
    expect(first.status).toBe(201);
    const attempts = [
      call(`/tables/${tableId}/columns/${domain}/runs`, { scope: 'empty' }, 'k-reused'),
      call(`/tables/${tableId}/columns/${other}/runs`, { scope: 'all' }, 'k-reused'),
      call(`/tables/${tableId}/runs`, { scope: 'all' }, 'k-reused'),
    ];
    for (const refused of await Promise.all(attempts)) {
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
      expect(refused.body.error.code).toBe('idempotency_key_reused');
      expect(refused.body.error.path).toBe('Idempotency-Key');
      expect(refused.body.error.message).toContain(`run ${first.body.run.id}`);
    }
    expect(await runsOf(domain)).toEqual([first.body.run.id]);
    expect(await runsOf(other)).toEqual([]);
  });

  it('a key that is not 1 to 255 visible ASCII characters is a 400 naming the header', async () => {
    const { tableId, columnIds } = await tableWithColumns('BadKey', ['Domain']);
    for (const key of ['two words', 'x'.repeat(256), '""', 'clé']) {
      const refused = await call(`/tables/${tableId}/columns/${columnIds[0]}/runs`, { scope: 'all' }, key);
      expect(refused.status, key).toBe(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(refused.body.error.message).toContain('visible ASCII');
      expect(refused.body.error.path).toBe('idempotency-key');
    }
    expect(await runsOf(columnIds[0]!)).toEqual([]);
  });

  it('keys belong to a workspace: another workspace sending the same key starts its own run', async () => {
    const mine = await tableWithColumns('Mine', ['Domain']);
    const first = await call(
      `/tables/${mine.tableId}/columns/${mine.columnIds[0]}/runs`,
      { scope: 'all' },
      'shared',
    );
    const other = await server.newWorkspace('other');
    const created = await call('/tables', { name: 'Theirs', columns: ['Company'] }, undefined, other.auth);
    const theirTable = created.body.table.id as number;
    await call(`/tables/${theirTable}/rows`, { rows: [{ Company: 'a' }] }, undefined, other.auth);
    const column = await call(
      `/tables/${theirTable}/columns`,
      { name: 'Domain', kind: 'enrichment', provider: 'mock', config: { input: '{{Company}}' } },
      undefined,
      other.auth,
    );
    const theirs = await call(
      `/tables/${theirTable}/columns/${column.body.column.id}/runs`,
      { scope: 'all' },
      'shared',
      other.auth,
    );
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    expect(theirs.replayed).toBeUndefined();
    expect(theirs.body.run.id).not.toBe(first.body.run.id);
  });

  it('starts racing with one key make one run, and every answer names it', async () => {
    const { tableId, columnIds } = await tableWithColumns('Race', ['Domain'], 50);
    const url = `/tables/${tableId}/columns/${columnIds[0]}/runs`;
    const answers = await Promise.all(Array.from({ length: 6 }, () => call(url, { scope: 'all' }, 'race-1')));
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const ids = new Set(answers.map((answer) => answer.body.run.id));
    expect(ids.size).toBe(1);
    expect(await runsOf(columnIds[0]!)).toEqual([...ids]);
    expect(answers.filter((answer) => answer.replayed === undefined)).toHaveLength(1);
  });

  it('a table run retried after it was cut off starts only the columns it had not reached', async () => {
    const { tableId, columnIds } = await tableWithColumns('Resume', ['First']);
    const first = await call(`/tables/${tableId}/runs`, { scope: 'all' }, 'table-1');
    expect(first.status).toBe(201);
    expect(first.body.runs).toHaveLength(1);
    // as if the first request had stopped before this column's start (it is started last)
    const later = await addColumn(tableId, 'Later');
    const retried = await call(`/tables/${tableId}/runs`, { scope: 'all' }, 'table-1');
    expect(retried.status, JSON.stringify(retried.body)).toBe(201);
    expect(retried.replayed).toBeUndefined(); // a run was started now
    expect(retried.body.runs.map((run: { id: number }) => run.id)[0]).toBe(first.body.runs[0].id);
    expect(await runsOf(columnIds[0]!)).toEqual([first.body.runs[0].id]);
    expect(await runsOf(later)).toHaveLength(1);
    const again = await call(`/tables/${tableId}/runs`, { scope: 'all' }, 'table-1');
    expect(again.replayed).toBe('true');
    expect(again.body.runs).toEqual(
      retried.body.runs.map((run: { id: number }) => expect.objectContaining({ id: run.id })),
    );
  });

  it('a filtered run replays although its filter matches nothing any more', async () => {
    const { tableId, columnIds } = await tableWithColumns('Filtered', ['Domain']);
    const url = `/tables/${tableId}/columns/${columnIds[0]}/runs`;
    const scope = { filter: { column: 'Company', op: 'eq', value: 'co1.example' } };
    const first = await call(url, { scope }, 'filtered-1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.run.total).toBe(1);
    const { rows } = await server.db.pool.query('select id from rows where table_id = $1', [tableId]);
    await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/tables/${tableId}/rows`,
      headers: server.auth,
      payload: { rows: rows.map((row) => ({ id: Number(row.id), data: { Company: 'gone.example' } })) },
    });
    const again = await call(url, { scope }, 'filtered-1');
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.run.id).toBe(first.body.run.id);
  });

  it('a cell run retried with its key is the same run', async () => {
    const { tableId, columnIds } = await tableWithColumns('Cell', ['Domain']);
    const { rows } = await server.db.pool.query('select min(id)::int as id from rows where table_id = $1', [
      tableId,
    ]);
    const body = { rowId: rows[0].id, columnId: columnIds[0] };
    const first = await call(`/tables/${tableId}/cells/run`, body, 'cell-1');
    const again = await call(`/tables/${tableId}/cells/run`, body, 'cell-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.run.id).toBe(first.body.run.id);
    expect(again.replayed).toBe('true');
  });
});
