import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyedPost, raceAtTableLock, type TestServer, testServer } from './helpers';

/**
 * An append of rows retried with the same `Idempotency-Key` (after a 503, a timeout or a dropped
 * connection) answers with the ids the first request gave its rows and appends nothing: a retry
 * does not leave two copies of the rows.
 */
let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

const call = (url: string, payload: object, key?: string, auth = server.auth) =>
  keyedPost(server, url, payload, key, auth);

async function newTable(name: string, auth = server.auth): Promise<number> {
  const created = await call('/tables', { name, columns: ['Company'] }, undefined, auth);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.table.id as number;
}

async function rowCount(tableId: number): Promise<number> {
  const { rows } = await server.db.pool.query('select count(*)::int as n from rows where table_id = $1', [
    tableId,
  ]);
  return rows[0].n as number;
}

const twoRows = { rows: [{ Company: 'acme.example' }, { Company: 'globex.example' }] };

describe('Idempotency-Key on POST /tables/:id/rows', () => {
  it('an append retried with its key answers the same ids, marked replayed, and appends nothing', async () => {
    const tableId = await newTable('Keyed rows');
    const first = await call(`/tables/${tableId}/rows`, twoRows, 'append-1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.ids).toHaveLength(2);
    expect(first.replayed).toBeUndefined();
    const retry = await call(`/tables/${tableId}/rows`, twoRows, 'append-1');
    expect(retry.status).toBe(201);
    expect(retry.body.ids).toEqual(first.body.ids);
    expect(retry.replayed).toBe('true');
    // quoted, the key is the same key
    const quoted = await call(`/tables/${tableId}/rows`, twoRows, '"append-1"');
    expect(quoted.body.ids).toEqual(first.body.ids);
    expect(await rowCount(tableId)).toBe(2);
    // without a key, every append appends
    await call(`/tables/${tableId}/rows`, twoRows);
    await call(`/tables/${tableId}/rows`, twoRows);
    expect(await rowCount(tableId)).toBe(6);
  });

  it('the same key with other rows or on another table is refused with 422 naming the header', async () => {
    const tableId = await newTable('Reused');
    const otherTable = await newTable('Reused elsewhere');
    await call(`/tables/${tableId}/rows`, twoRows, 'append-2');
    const otherRows = await call(
      `/tables/${tableId}/rows`,
      { rows: [{ Company: 'initech.example' }] },
      'append-2',
    );
    expect(otherRows.status).toBe(422);
    expect(otherRows.body.error).toMatchObject({ code: 'idempotency_key_reused', path: 'Idempotency-Key' });
    expect(otherRows.body.error.message).toContain(`2 rows to table ${tableId}`);
    const elsewhere = await call(`/tables/${otherTable}/rows`, twoRows, 'append-2');
    expect(elsewhere.status).toBe(422);
    expect(await rowCount(tableId)).toBe(2);
    expect(await rowCount(otherTable)).toBe(0);
  });

  it('a key that is not 1 to 255 visible ASCII characters is a 400 naming the header', async () => {
    const tableId = await newTable('Bad keys');
    for (const key of ['two words', 'x'.repeat(256), 'é']) {
      const refused = await call(`/tables/${tableId}/rows`, twoRows, key);
      expect(refused.status, key).toBe(400);
      expect(refused.body.error.path).toBe('idempotency-key');
    }
    expect(await rowCount(tableId)).toBe(0);
  });

  it('keys belong to a workspace: another workspace sending the same key appends its own rows', async () => {
    const mine = await newTable('Mine');
    await call(`/tables/${mine}/rows`, twoRows, 'shared-append');
    const other = await server.newWorkspace('other rows');
    const theirs = await newTable('Theirs', other.auth);
    const appended = await call(`/tables/${theirs}/rows`, twoRows, 'shared-append', other.auth);
    expect(appended.status, JSON.stringify(appended.body)).toBe(201);
    expect(appended.replayed).toBeUndefined();
    expect(await rowCount(theirs)).toBe(2);
  });

  it('appends racing with one key append once, and every answer has those ids', async () => {
    const tableId = await newTable('Race');
    // every append has looked for the key and found none before any of them writes
    const answers = await raceAtTableLock(
      server,
      tableId,
      Array.from({ length: 6 }, () => () => call(`/tables/${tableId}/rows`, twoRows, 'racing-append')),
    );
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body.ids))).size).toBe(1);
    expect(answers.filter((answer) => answer.replayed === 'true')).toHaveLength(5);
    expect(await rowCount(tableId)).toBe(2);
  });

  it("a replayed append does not start its auto-run columns' runs again", async () => {
    const tableId = await newTable('Auto');
    const column = await call(`/tables/${tableId}/columns`, {
      name: 'Auto',
      kind: 'enrichment',
      provider: 'mock',
      config: { input: '{{Company}}', autoRun: true },
    });
    expect(column.status, JSON.stringify(column.body)).toBe(201);
    const runs = async () =>
      (await server.db.pool.query('select count(*)::int as n from runs where table_id = $1', [tableId]))
        .rows[0].n;
    await call(`/tables/${tableId}/rows`, twoRows, 'auto-append');
    const started = await runs();
    expect(started).toBeGreaterThan(0);
    const retry = await call(`/tables/${tableId}/rows`, twoRows, 'auto-append');
    expect(retry.replayed).toBe('true');
    expect(await runs()).toBe(started);
  });

  it('a key is remembered for 24 hours: after that the same request appends again', async () => {
    const tableId = await newTable('Expired');
    await call(`/tables/${tableId}/rows`, twoRows, 'old-append');
    await server.db.pool.query(
      `update row_insert_keys set created_at = now() - interval '25 hours' where idempotency_key = 'old-append'`,
    );
    const again = await call(`/tables/${tableId}/rows`, twoRows, 'old-append');
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.replayed).toBeUndefined();
    expect(await rowCount(tableId)).toBe(4);
    // the expired key was pruned by that append, which keeps the key now
    const { rows } = await server.db.pool.query(
      `select count(*)::int as n from row_insert_keys where idempotency_key = 'old-append'`,
    );
    expect(rows[0].n).toBe(1);
  });
});
