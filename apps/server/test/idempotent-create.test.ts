import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyedPost, raceAtLock, type TestServer, testServer } from './helpers';

/**
 * A table or a column created with an `Idempotency-Key` and retried with it (after a 503, a timeout or
 * a dropped connection) is answered with what the first request created: a retry makes no second
 * table, and no 409 for its own column's name.
 */
let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

const call = (url: string, payload: object, key?: string, auth = server.auth) =>
  keyedPost(server, url, payload, key, auth);

async function count(sql: string, values: unknown[]): Promise<number> {
  return (await server.db.pool.query(sql, values)).rows[0].n as number;
}
const tablesNamed = (name: string) => count('select count(*)::int as n from tables where name = $1', [name]);
const columnsNamed = (tableId: number, name: string) =>
  count('select count(*)::int as n from columns where table_id = $1 and name = $2', [tableId, name]);

async function newTable(name: string): Promise<number> {
  const created = await call('/tables', { name, columns: ['Company'] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.table.id as number;
}

const enrichment = { name: 'Echo', kind: 'enrichment', provider: 'mock', config: { input: '{{Company}}' } };

describe('Idempotency-Key on POST /tables', () => {
  it('a creation retried with its key answers the same table, as it is now, and creates none', async () => {
    const body = { name: 'Keyed table', columns: ['Company', 'Domain'] };
    const first = await call('/tables', body, 'table-1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.replayed).toBeUndefined();
    await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/tables/${first.body.table.id}`,
      headers: server.auth,
      payload: { name: 'Renamed since' },
    });
    const retry = await call('/tables', body, 'table-1');
    expect(retry.status).toBe(201);
    expect(retry.replayed).toBe('true');
    expect(retry.body.table).toMatchObject({ id: first.body.table.id, name: 'Renamed since' });
    expect(await tablesNamed('Keyed table')).toBe(0);
    expect(await tablesNamed('Renamed since')).toBe(1);
    // without a key, every request creates a table
    await call('/tables', { name: 'Unkeyed' });
    await call('/tables', { name: 'Unkeyed' });
    expect(await tablesNamed('Unkeyed')).toBe(2);
  });

  it('the same key with another request is refused with 422 naming the header and what it created', async () => {
    const first = await call('/tables', { name: 'First' }, 'table-2');
    const other = await call('/tables', { name: 'Second' }, 'table-2');
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: 'idempotency_key_reused', path: 'Idempotency-Key' });
    expect(other.body.error.message).toContain(`created table ${first.body.table.id}`);
    // on another route too: a column added with the table's key
    const column = await call(`/tables/${first.body.table.id}/columns`, enrichment, 'table-2');
    expect(column.status).toBe(422);
    expect(await tablesNamed('Second')).toBe(0);
    expect(await columnsNamed(first.body.table.id, 'Echo')).toBe(0);
  });

  it('keys belong to a workspace: another workspace sending the same key creates its own table', async () => {
    await call('/tables', { name: 'Shared key' }, 'shared-create');
    const other = await server.newWorkspace('other creations');
    const theirs = await call('/tables', { name: 'Shared key' }, 'shared-create', other.auth);
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    expect(theirs.replayed).toBeUndefined();
    expect(await tablesNamed('Shared key')).toBe(2);
  });

  it('creations racing with one key create one table, and every answer is that table', async () => {
    const answers = await raceAtLock(
      server,
      { sql: 'lock table tables in share mode', waitEvent: 'relation' },
      Array.from({ length: 5 }, () => () => call('/tables', { name: 'Raced table' }, 'racing-table')),
    );
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(new Set(answers.map((answer) => answer.body.table.id)).size).toBe(1);
    expect(answers.filter((answer) => answer.replayed === 'true')).toHaveLength(4);
    expect(await tablesNamed('Raced table')).toBe(1);
  });

  it('a deleted table takes its key with it; a key is remembered for 24 hours', async () => {
    const first = await call('/tables', { name: 'Short-lived' }, 'table-3');
    await server.app.inject({
      method: 'DELETE',
      url: `/api/v1/tables/${first.body.table.id}`,
      headers: server.auth,
    });
    const again = await call('/tables', { name: 'Short-lived' }, 'table-3');
    expect(again.status).toBe(201);
    expect(again.replayed).toBeUndefined();
    expect(again.body.table.id).not.toBe(first.body.table.id);
    await server.db.pool.query(
      `update create_keys set created_at = now() - interval '25 hours' where idempotency_key = 'table-3'`,
    );
    const later = await call('/tables', { name: 'Short-lived' }, 'table-3');
    expect(later.replayed).toBeUndefined();
    expect(await tablesNamed('Short-lived')).toBe(2);
    expect(
      await count(`select count(*)::int as n from create_keys where idempotency_key = 'table-3'`, []),
    ).toBe(1);
  });
});

describe('Idempotency-Key on POST /tables/:id/columns', () => {
  it('a column retried with its key answers the column, not a 409 for its name', async () => {
    const tableId = await newTable('Columns');
    const first = await call(`/tables/${tableId}/columns`, enrichment, 'column-1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const retry = await call(`/tables/${tableId}/columns`, enrichment, 'column-1');
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.replayed).toBe('true');
    expect(retry.body.column).toEqual(first.body.column);
    expect(await columnsNamed(tableId, 'Echo')).toBe(1);
    // without the key the same request is the 409 it always was
    const unkeyed = await call(`/tables/${tableId}/columns`, enrichment);
    expect(unkeyed.status).toBe(409);
    expect(unkeyed.body.error.path).toBe('name');
    // another key for a name that exists: also a 409, nothing replayed
    const otherKey = await call(`/tables/${tableId}/columns`, enrichment, 'column-1b');
    expect(otherKey.status).toBe(409);
  });

  it('the same key with another column or on another table is refused with 422', async () => {
    const tableId = await newTable('Column keys');
    const otherTable = await newTable('Column keys elsewhere');
    const first = await call(`/tables/${tableId}/columns`, { name: 'Notes', kind: 'input' }, 'column-2');
    const other = await call(`/tables/${tableId}/columns`, { name: 'Other', kind: 'input' }, 'column-2');
    expect(other.status).toBe(422);
    expect(other.body.error.message).toContain(`column ${first.body.column.id} of table ${tableId}`);
    const elsewhere = await call(
      `/tables/${otherTable}/columns`,
      { name: 'Notes', kind: 'input' },
      'column-2',
    );
    expect(elsewhere.status).toBe(422);
    expect(await columnsNamed(otherTable, 'Notes')).toBe(0);
  });

  it('columns racing with one key add one column, and every answer is that column', async () => {
    const tableId = await newTable('Raced columns');
    const answers = await raceAtLock(
      server,
      { sql: 'lock table columns in share mode', waitEvent: 'relation' },
      Array.from({ length: 5 }, () => () => call(`/tables/${tableId}/columns`, enrichment, 'racing-column')),
    );
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(new Set(answers.map((answer) => answer.body.column.id)).size).toBe(1);
    expect(answers.filter((answer) => answer.replayed === 'true')).toHaveLength(4);
    expect(await columnsNamed(tableId, 'Echo')).toBe(1);
  });
});
